/**
 * Images carried inside a quiz file (Moodle XML `<file encoding="base64">`, referenced as
 * `@@PLUGINFILE@@/name`). Each is decoded, recognised by its bytes (PNG, JPEG, GIF, WebP, SVG —
 * never by its name), size-limited, and SVG sanitised; it is then published beside `quiz.json`
 * under a content-addressed name, `files/<12 hex of its SHA-256>.<ext>`, which the quiz's HTML
 * links to (relative to quiz.json).
 */
import { createHash } from 'node:crypto';
import sanitize from 'sanitize-html';
import { sniff } from '../contract/sniff.js';

export interface QuizFile {
  /** Path relative to quiz.json: `files/<hash>.<ext>`. */
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Larger than any image a question needs; keeps the published quiz light. */
export const MAX_EMBEDDED_FILE_BYTES = 1024 * 1024;

export const IMAGE_TYPES = {
  png: { ext: 'png', contentType: 'image/png' },
  jpeg: { ext: 'jpg', contentType: 'image/jpeg' },
  gif: { ext: 'gif', contentType: 'image/gif' },
  webp: { ext: 'webp', contentType: 'image/webp' },
  svg: { ext: 'svg', contentType: 'image/svg+xml' },
} as const;

export type ImageType = keyof typeof IMAGE_TYPES;

/** What the bytes are, if an image lectern publishes. */
export function imageType(bytes: Uint8Array): ImageType | undefined {
  const sniffed = sniff(bytes.subarray(0, 4096));
  if (sniffed === 'png' || sniffed === 'jpeg' || sniffed === 'gif' || sniffed === 'webp') return sniffed;
  if (sniffed === 'text' && /^(?:\uFEFF)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(new TextDecoder().decode(bytes.subarray(0, 4096)))) return 'svg';
  return undefined;
}

/** The files one quiz embeds, by the name its text uses. */
export class EmbeddedFiles {
  private readonly byName = new Map<string, QuizFile>();
  private readonly published = new Map<string, QuizFile>();

  /**
   * Adds `<file name>` with its base64 content. Returns the published name, or a sentence saying
   * why the file is not published (the educator's fix is in it).
   */
  add(name: string, base64: string): { name: string } | { problem: string } {
    const bytes = new Uint8Array(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
    if (bytes.length === 0) return { problem: `the embedded file '${name}' is empty, so it is not published: export the question again` };
    if (bytes.length > MAX_EMBEDDED_FILE_BYTES) {
      return { problem: `the embedded image '${name}' is ${bytes.length} bytes; an image inside a quiz may be at most ${MAX_EMBEDDED_FILE_BYTES} bytes, so it is not published: make it smaller` };
    }
    const type = imageType(bytes);
    if (type === undefined) {
      return {
        problem:
          `the embedded file '${name}' is not a PNG, JPEG, GIF, WebP or SVG image (by its content): only images inside a quiz are published, ` +
          'so links to it will not work — convert an image to one of those types, or upload other files on their own',
      };
    }
    return { name: this.publish(name, type === 'svg' ? sanitizeSvg(new TextDecoder().decode(bytes)) : bytes, type) };
  }

  /**
   * Publishes checked image bytes (an image uploaded next to the quiz, see `validateImage`) under
   * the name the quiz's text uses for it; returns the published name.
   */
  publish(name: string, content: Uint8Array, type: ImageType): string {
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
    const file: QuizFile = { name: `files/${hash}.${IMAGE_TYPES[type].ext}`, contentType: IMAGE_TYPES[type].contentType, bytes: content };
    this.byName.set(name, file);
    this.published.set(file.name, file);
    return file.name;
  }

  /** The published name of an embedded file, by the name the text uses. */
  nameOf(name: string): string | undefined {
    return this.byName.get(name)?.name;
  }

  list(): QuizFile[] {
    return [...this.published.values()];
  }
}

const SVG_TAGS = [
  'svg', 'g', 'defs', 'title', 'desc', 'symbol', 'use', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline',
  'polygon', 'text', 'tspan', 'textPath', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask', 'pattern',
  'marker',
];
const SVG_ATTRIBUTES = [
  'id', 'class', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'width', 'height', 'd', 'points',
  'viewBox', 'preserveAspectRatio', 'transform', 'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width',
  'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'stroke-dasharray', 'opacity', 'font-family', 'font-size',
  'font-weight', 'text-anchor', 'dominant-baseline', 'offset', 'stop-color', 'stop-opacity', 'gradientUnits',
  'gradientTransform', 'clip-path', 'mask', 'marker-start', 'marker-end', 'markerWidth', 'markerHeight', 'refX',
  'refY', 'orient', 'patternUnits', 'xmlns', 'version', 'dx', 'dy', 'rotate', 'lengthAdjust', 'textLength',
];

/**
 * SVG as an image: shapes, text, gradients. Scripts, event handlers, `<foreignObject>`, styles
 * and every link that leaves the document (only `#fragment` references stay) are removed.
 */
export function sanitizeSvg(svg: string): Uint8Array {
  const clean = sanitize(svg, {
    allowedTags: SVG_TAGS,
    allowedAttributes: { '*': SVG_ATTRIBUTES, use: [...SVG_ATTRIBUTES, 'href', 'xlink:href'], textPath: [...SVG_ATTRIBUTES, 'href', 'xlink:href'] },
    allowedSchemes: [],
    allowedSchemesAppliedToAttributes: ['href', 'xlink:href'],
    nonTextTags: ['script', 'style', 'foreignObject', 'foreignobject', 'iframe'],
    parser: { lowerCaseTags: false, lowerCaseAttributeNames: false, xmlMode: true },
    transformTags: {
      use: (tagName, attribs) => ({ tagName, attribs: internalOnly(attribs) }),
      textPath: (tagName, attribs) => ({ tagName, attribs: internalOnly(attribs) }),
    },
  });
  return new TextEncoder().encode(clean);
}

function internalOnly(attribs: sanitize.Attributes): sanitize.Attributes {
  const out: sanitize.Attributes = {};
  for (const [key, value] of Object.entries(attribs)) {
    if ((key === 'href' || key === 'xlink:href') && !value.startsWith('#')) continue;
    out[key] = value;
  }
  return out;
}
