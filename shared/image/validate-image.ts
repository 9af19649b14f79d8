/**
 * An image uploaded to a lesson (png, jpg, gif, webp, svg), so lesson pages and quizzes can show
 * it: recognised by its bytes (never by its name), size-limited, and an SVG must be a picture —
 * one that scripts (a `<script>`, an event handler, a `javascript:` link, `<foreignObject>`) is
 * rejected, and the rest is published sanitised (styles and links that leave the image removed).
 * Pure: bytes in, verdict out.
 */
import type { Reason } from '../contract/errors.js';
import { IMAGE_TYPES, imageType, sanitizeSvg, type ImageType } from '../quiz/embedded-files.js';

export const IMAGE_EXTENSIONS: Readonly<Record<string, ImageType>> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.gif': 'gif', '.webp': 'webp', '.svg': 'svg' };

/** 5 MiB: a large diagram or photo for a lesson page; configurable (LECTERN_MAX_BYTES_IMAGE). */
export const DEFAULT_MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export type ImageVerdict =
  | { ok: true; type: ImageType; extension: string; contentType: string; bytes: Uint8Array; width?: number; height?: number; warnings: Reason[] }
  | { ok: false; reasons: Reason[] };

export function validateImage(input: { bytes: Uint8Array; fileName: string; maxBytes?: number }): ImageVerdict {
  const { bytes, fileName } = input;
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const name = fileName.split('/').pop() ?? fileName;
  const fail = (code: string, message: string): ImageVerdict => ({ ok: false, reasons: [{ code, message }] });
  if (bytes.length === 0) return fail('image.empty', `'${name}' is empty (0 bytes): upload the image again.`);
  if (bytes.length > maxBytes) {
    return fail('image.too-large', `'${name}' is larger than ${maxBytes} bytes, the most an image may be: make it smaller (scale it down, or save a photo as JPEG).`);
  }
  const type = imageType(bytes);
  if (type === undefined) {
    return fail('image.not-an-image', `'${name}' is not a PNG, JPEG, GIF, WebP or SVG image (judged by its content, not its name): export it as one of those.`);
  }
  const warnings: Reason[] = [];
  const named = IMAGE_EXTENSIONS[extensionOf(name)];
  if (named !== undefined && named !== type) {
    warnings.push({
      code: 'image.wrong-extension',
      message: `'${name}' is named like a ${named.toUpperCase()} image but is a ${type.toUpperCase()} image; it is published as what it is (${IMAGE_TYPES[type].contentType}). Rename it to end in .${IMAGE_TYPES[type].ext}.`,
    });
  }
  if (type !== 'svg') return { ok: true, type, extension: IMAGE_TYPES[type].ext, contentType: IMAGE_TYPES[type].contentType, bytes, ...dimensions(type, bytes), warnings };
  const svg = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const scripted = scriptingIn(svg);
  if (scripted.length > 0) {
    return fail(
      'image.svg-scripted',
      `'${name}' is an SVG that runs code (${scripted.join(', ')}), which a course image must not: remove it, or export the drawing again as a plain SVG or PNG.`,
    );
  }
  const clean = sanitizeSvg(svg);
  return { ok: true, type, extension: 'svg', contentType: IMAGE_TYPES.svg.contentType, bytes: clean, warnings };
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot === -1 ? '' : name.slice(dot).toLowerCase();
}

/** What in an SVG would run: the reasons it is refused. A linear scan; the sanitiser does the rest. */
export function scriptingIn(svg: string): string[] {
  const found = new Set<string>();
  if (/<(?:[\w-]+:)?script[\s/>]/i.test(svg)) found.add('a <script> element');
  const handler = /<[^>]*?\s(on[a-z]+)\s*=/i.exec(svg);
  if (handler) found.add(`an ${handler[1]?.toLowerCase()} event handler`);
  if (/<(?:[\w-]+:)?foreignObject[\s/>]/i.test(svg)) found.add('a <foreignObject> (HTML inside the image)');
  if (/(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data:text\/html)/i.test(svg)) found.add('a javascript: link');
  return [...found];
}

/** Width and height from the header, where it is where the format says (PNG, GIF). */
function dimensions(type: ImageType, bytes: Uint8Array): { width?: number; height?: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'png' && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (type === 'gif' && bytes.length >= 10) return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  return {};
}
