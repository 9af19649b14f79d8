/**
 * The HTML allow-list for quiz text. `sanitize-html` does the cleaning; a transform hook applies
 * lectern's URL and style rules first and records what it removes, so the educator is told.
 *
 * Kept: text formatting, lists, tables, links (http, https, mailto, relative), images whose src is
 * relative or under the course's own published assets (`assetBaseUrl`), MathML presentation
 * markup, and LaTeX delimiters (they are plain text). Removed: everything else — scripts, event
 * handlers, `javascript:`/`data:` URLs, iframes, forms, object/embed, SVG, unsafe style values.
 */
import sanitize from 'sanitize-html';

export interface HtmlPolicy {
  /** Absolute URL (or path) of the course's published assets; images under it are kept. */
  assetBaseUrl?: string;
  /** Relative image sources to rewrite (an image uploaded next to the quiz → its published copy). */
  imageSources?: ReadonlyMap<string, string>;
}

export interface SanitizedHtml {
  html: string;
  /** What was removed, for the warning (e.g. `<script> element`, `onerror attribute`). */
  removed: string[];
  /** Relative image sources the HTML refers to (to check they were uploaded). */
  assets: string[];
}

const TEXT_TAGS = [
  'p', 'br', 'hr', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup',
  'small', 'big', 'mark', 'code', 'pre', 'kbd', 'samp', 'var', 'tt', 'blockquote', 'q', 'cite', 'abbr', 'dfn',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img', 'figure', 'figcaption',
  'ruby', 'rt', 'rp', 'bdi', 'bdo', 'wbr', 'center', 'font',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'colgroup', 'col',
];
const MATHML_TAGS = [
  'math', 'mrow', 'mi', 'mo', 'mn', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt',
  'mroot', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd', 'mlabeledtr', 'mstyle', 'mpadded',
  'mphantom', 'menclose', 'mfenced', 'merror', 'mmultiscripts', 'mprescripts', 'none', 'semantics', 'annotation',
];
export const ALLOWED_TAGS: readonly string[] = [...TEXT_TAGS, ...MATHML_TAGS];

const GLOBAL_ATTRIBUTES = ['title', 'lang', 'dir', 'class', 'style', 'role', 'aria-*'];
const MATHML_ATTRIBUTES = [
  'display', 'mathvariant', 'mathsize', 'mathcolor', 'displaystyle', 'scriptlevel', 'stretchy', 'fence',
  'separator', 'form', 'lspace', 'rspace', 'largeop', 'movablelimits', 'accent', 'accentunder', 'linethickness',
  'notation', 'open', 'close', 'separators', 'columnalign', 'rowalign', 'columnspan', 'rowspan', 'width', 'height',
  'depth', 'encoding', 'xmlns', 'alttext',
];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': GLOBAL_ATTRIBUTES,
  a: ['href', 'target', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'align', 'border'],
  table: ['border', 'cellpadding', 'cellspacing', 'summary', 'width', 'align'],
  td: ['colspan', 'rowspan', 'headers', 'align', 'valign', 'width'],
  th: ['colspan', 'rowspan', 'headers', 'scope', 'align', 'valign', 'width'],
  tr: ['align', 'valign'],
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  ol: ['start', 'type', 'reversed'],
  ul: ['type'],
  li: ['value'],
  p: ['align'],
  div: ['align'],
  font: ['color', 'size', 'face'],
  blockquote: ['cite'],
  q: ['cite'],
  ...Object.fromEntries(MATHML_TAGS.map((tag) => [tag, MATHML_ATTRIBUTES])),
};

const NUMBER = '-?(\\d+(\\.\\d+)?|\\.\\d+)';
const UNIT = '(px|em|rem|%|pt|pc|cm|mm|in|ex|ch|vw|vh)?';
const LENGTH = new RegExp(`^(${NUMBER}${UNIT}|auto|normal)$`, 'i');
const LENGTHS = new RegExp(`^(${NUMBER}${UNIT}|auto)(\\s+(${NUMBER}${UNIT}|auto)){0,3}$`, 'i');
const COLOR = /^(#[0-9a-f]{3,8}|rgba?\(\s*[\d.%]+\s*,\s*[\d.%]+\s*,\s*[\d.%]+\s*(,\s*[\d.%]+\s*)?\)|[a-z]{3,20})$/i;
const ALLOWED_STYLES: Record<string, RegExp[]> = {
  'text-align': [/^(left|right|center|justify|start|end)$/i],
  'vertical-align': [/^(baseline|sub|super|top|middle|bottom|text-top|text-bottom)$/i, LENGTH],
  'font-style': [/^(normal|italic|oblique)$/i],
  'font-weight': [/^(normal|bold|bolder|lighter|[1-9]00)$/i],
  'font-size': [/^(xx-small|x-small|small|medium|large|x-large|xx-large|smaller|larger)$/i, LENGTH],
  'font-family': [/^[\w\s,'"-]{1,100}$/],
  font: [/^[\w\s.,'"%/-]{1,100}$/],
  'text-decoration': [/^(none|underline|overline|line-through)(\s+(solid|double|dotted|dashed|wavy))?$/i],
  color: [COLOR],
  'background-color': [COLOR],
  width: [LENGTH],
  height: [LENGTH],
  'max-width': [LENGTH],
  margin: [LENGTHS],
  'margin-left': [LENGTH],
  'margin-right': [LENGTH],
  'margin-top': [LENGTH],
  'margin-bottom': [LENGTH],
  padding: [LENGTHS],
  'padding-left': [LENGTH],
  'padding-right': [LENGTH],
  'padding-top': [LENGTH],
  'padding-bottom': [LENGTH],
  'line-height': [LENGTH],
  'text-indent': [LENGTH],
  'letter-spacing': [LENGTH],
  'word-spacing': [LENGTH],
  'font-variant': [/^(normal|small-caps)$/i],
  'text-transform': [/^(none|uppercase|lowercase|capitalize)$/i],
  float: [/^(left|right|none)$/i],
  display: [/^(inline|block|inline-block|none)$/i],
  'list-style-type': [/^[a-z-]{1,30}$/i],
  'white-space': [/^(normal|nowrap|pre|pre-wrap|pre-line)$/i],
  direction: [/^(ltr|rtl)$/i],
  'border-collapse': [/^(collapse|separate)$/i],
  border: [/^\d+(px)?\s+(solid|dotted|dashed|double)(\s+(#[0-9a-f]{3,8}|[a-z]{3,20}))?$/i],
};
/** Word and Office leave these behind; they never matter on the web, so they go without a word. */
const SILENTLY_DROPPED_STYLE = /^(mso-|tab-stops$|-ms-|-webkit-|font-family$)/;

/** Elements whose content is dropped with them (never shown as text). */
const NON_TEXT_TAGS = [
  'script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'frame', 'frameset', 'noembed', 'noframes',
  'template', 'xmp', 'plaintext', 'title', 'svg', 'select', 'applet', 'annotation-xml',
];

const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Sanitise quiz HTML to the allow-list. */
export function sanitizeQuizHtml(html: string, policy: HtmlPolicy = {}): SanitizedHtml {
  // Most answers are plain words: no markup, no entities, nothing to parse.
  if (!/[<&]/.test(html)) return { html: html.replace(/>/g, '&gt;'), removed: [], assets: [] };
  const removed = new Set<string>();
  const assets = new Set<string>();
  const clean = sanitize(html, {
    ...baseOptions(policy, removed, assets),
    allowedTags: [...ALLOWED_TAGS],
    allowedAttributes: ALLOWED_ATTRIBUTES,
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs['src'],
  });
  return { html: clean, removed: [...removed], assets: [...assets] };
}

/**
 * Plain text out of something that may contain markup (a title, a short answer): when it holds
 * tags, they are dropped (disallowed ones reported) and entities decoded; otherwise it is kept
 * verbatim, so `x < 5` and `Q&A` survive.
 */
export function sanitizeQuizText(text: string): { text: string; removed: string[] } {
  if (!/<[A-Za-z!/?]/.test(text)) return { text, removed: [] };
  const removed = new Set<string>();
  const stripped = sanitize(text, {
    ...baseOptions({}, removed, new Set()),
    allowedTags: [],
    allowedAttributes: {},
  });
  return { text: decodeBasicEntities(stripped).trim(), removed: [...removed] };
}

function baseOptions(policy: HtmlPolicy, removed: Set<string>, assets: Set<string>): sanitize.IOptions {
  return {
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT_TAGS,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: {},
    allowProtocolRelative: false,
    // Style attributes are filtered by vetStyle (below, through transformTags) to the
    // ALLOWED_STYLES allow-list, so sanitize-html's own postcss pass is off: postcss is then never
    // called, and the Lambda bundle leaves it out (serverless.yml aliases it to shared/aws/postcss-stub.ts).
    parseStyleAttributes: false,
    transformTags: {
      '*': (tagName, attribs) => ({ tagName, attribs: vetTag(tagName, attribs, policy, removed, assets) }),
    },
  };
}

/** lectern's own rules on one tag, recording every removal. Returns the attributes to keep. */
function vetTag(
  tagName: string,
  attribs: sanitize.Attributes,
  policy: HtmlPolicy,
  removed: Set<string>,
  assets: Set<string>,
): sanitize.Attributes {
  const tag = tagName.toLowerCase();
  if (!ALLOWED_TAGS.includes(tag)) {
    removed.add(`<${tag.replace(/[^\w:-]/g, '')}> element`);
    return {};
  }
  const allowed = new Set([...(ALLOWED_ATTRIBUTES['*'] ?? []), ...(ALLOWED_ATTRIBUTES[tag] ?? [])]);
  const kept: sanitize.Attributes = {};
  for (const [name, raw] of Object.entries(attribs)) {
    const attr = name.toLowerCase();
    // Moodle exports refer to the question's own files as @@PLUGINFILE@@/name: a relative path here.
    const value = attr === 'href' || attr === 'src' ? raw.replace(/^@@PLUGINFILE@@\//, '') : raw;
    if (/^aria-[a-z]+$/.test(attr)) {
      kept[attr] = value;
      continue;
    }
    if (attr === 'target' || attr === 'rel') {
      // Links open in a new tab without giving the page a handle on the LMS window.
      if (attr === 'target' && value === '_blank') {
        kept['target'] = '_blank';
        kept['rel'] = 'noopener noreferrer';
      }
      continue;
    }
    if (!allowed.has(attr)) {
      removed.add(/^on/.test(attr) ? `${attr} event handler` : `${attr} attribute`);
      continue;
    }
    if (/[<>]/.test(value) && attr !== 'style') {
      // Markup inside an attribute (a title="<img onerror=…>") is inert here, but tooltip
      // libraries render titles as HTML: such values are dropped, not escaped.
      removed.add(`${attr} attribute containing markup`);
      continue;
    }
    if (attr === 'href') {
      const verdict = vetLink(value);
      if (verdict !== true) {
        removed.add(verdict);
        continue;
      }
    } else if (attr === 'src') {
      const verdict = vetImageSource(value, policy);
      if (typeof verdict === 'string') {
        removed.add(verdict);
        continue;
      }
      if (verdict.relative) {
        assets.add(verdict.relative);
        const published = policy.imageSources?.get(verdict.relative);
        if (published !== undefined) {
          kept[name] = published;
          continue;
        }
      }
    } else if (attr === 'style') {
      const style = vetStyle(value, removed);
      if (style) kept[name] = style;
      continue;
    } else if (attr === 'xmlns' && value !== 'http://www.w3.org/1998/Math/MathML') {
      removed.add('xmlns attribute');
      continue;
    }
    kept[name] = value;
  }
  return kept;
}

function compactUrl(value: string): string {
  // Browsers ignore these inside a URL scheme ("java\tscript:"), so must we.
  return value.replace(/[\p{Cc} ]/gu, '');
}

function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
}

function vetLink(value: string): true | string {
  const url = compactUrl(value);
  const scheme = schemeOf(url);
  if (scheme === undefined) return url.startsWith('//') ? 'protocol-relative link' : true;
  return LINK_SCHEMES.has(scheme) ? true : `${scheme}: link`;
}

function vetImageSource(value: string, policy: HtmlPolicy): { relative?: string } | string {
  const url = compactUrl(value);
  const base = policy.assetBaseUrl?.trim();
  if (base && url.startsWith(base.endsWith('/') ? base : `${base}/`)) return {};
  const scheme = schemeOf(url);
  if (scheme !== undefined) {
    return scheme === 'data' || scheme === 'javascript' || scheme === 'vbscript'
      ? `${scheme}: image source`
      : 'image from outside the course (only relative sources or the course assets are allowed)';
  }
  if (url.startsWith('//') || url.startsWith('/') || url.startsWith('\\')) {
    return 'image from outside the course (only relative sources or the course assets are allowed)';
  }
  const path = url.split(/[?#]/)[0] ?? '';
  return path ? { relative: safeDecode(path).replace(/^\.\//, '') } : 'image without a source';
}

function vetStyle(value: string, removed: Set<string>): string {
  const kept: string[] = [];
  for (const declaration of value.split(';')) {
    if (!declaration.trim()) continue;
    const colon = declaration.indexOf(':');
    const prop = (colon === -1 ? declaration : declaration.slice(0, colon)).trim().toLowerCase();
    const val = colon === -1 ? '' : declaration.slice(colon + 1).trim();
    const rules = ALLOWED_STYLES[prop];
    if (rules && rules.some((rule) => rule.test(val))) kept.push(`${prop}:${val}`);
    else if (!SILENTLY_DROPPED_STYLE.test(prop)) removed.add(`style "${truncate(declaration.trim().replace(/\s+/g, ' '), 40)}"`);
  }
  return kept.join(';');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function decodeBasicEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}

/**
 * How deeply HTML nests its elements, by a linear scan of the tags (void elements and
 * self-closing tags do not nest). Used to refuse pathological nesting before parsing it.
 */
export function htmlNestingDepth(html: string): number {
  let depth = 0;
  let max = 0;
  const tag = /<(\/?)([a-zA-Z][\w:-]*)[^<>]*?(\/?)>/g;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const name = (m[2] ?? '').toLowerCase();
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !VOID_ELEMENTS.has(name)) max = Math.max(max, ++depth);
  }
  return max;
}

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'mprescripts', 'none', 'mspace']);

/** Escape text for safe inclusion in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
