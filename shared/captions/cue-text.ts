/**
 * Cue text sanitiser. What survives: the WebVTT cue tags `b i u c v lang ruby rt` (with safe
 * class names and, for `v` and `lang`, an escaped annotation), timestamp tags inside the cue's
 * time range, character references, and text (with `<`, `>` and stray `&` escaped). Everything
 * else — `<script>`, `<font>`, `<span>`, SRT's `{\an8}` — is removed and reported. The output is
 * well-formed: tags are balanced, it contains no empty line and never "-->".
 *
 * Linear in the text's length whatever it holds: every forward search is cached or bounded, so
 * tag soup (`<<<<…`, `{\{\{\…`) cannot make it quadratic.
 */
import type { Reason } from '../contract/errors.js';
import { checkLanguageTag } from '../util/language-tag.js';
import type { CaptionFormat } from './model.js';
import { captionReason } from './reasons.js';
import { parseTimestamp } from './timestamp.js';

const ALLOWED = new Set(['b', 'i', 'u', 'c', 'v', 'lang', 'ruby', 'rt']);
/** Elements whose content is not caption text either: dropped with the tags. */
const DROP_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'svg', 'math', 'noscript', 'textarea', 'title']);
const CLASS_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;
const REFERENCE = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/y;
const ASS_OVERRIDE = /\{\\[^}\n]{0,80}\}/y;
// eslint-disable-next-line no-control-regex -- control characters are what we look for
const SPECIAL = /[<>&{\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** How many removed items a warning names. */
const NAMED = 5;

export interface CueTextInput {
  /** The cue payload as written: its lines joined by `\n`. */
  raw: string;
  format: CaptionFormat;
  /** 1-based line of the payload's first line. */
  firstLine: number;
  startMs: number;
  endMs: number;
  /** 1-based line of the cue's timing line, for messages. */
  cueLine: number;
}

export interface CueTextResult {
  text: string;
  /** One warning per cue that lost markup (or undefined). */
  warning?: Reason;
}

interface Removed {
  offset: number;
  names: string[];
  count: number;
}

export function sanitizeCueText(input: CueTextInput): CueTextResult {
  const { raw } = input;
  SPECIAL.lastIndex = 0;
  if (!SPECIAL.test(raw)) return { text: tidyLines(raw) };

  let out = '';
  const stack: string[] = [];
  let removed: Removed | undefined;
  const remove = (offset: number, what: string) => {
    removed ??= { offset, names: [], count: 0 };
    removed.count++;
    const name = what.length > 60 ? `${what.slice(0, 59)}…` : what;
    if (removed.names.length < NAMED + 1 && !removed.names.includes(name)) removed.names.push(name);
  };
  // Next '<', '>' and line end at or after a position; each only ever moves forward.
  const next = { lt: -2, gt: -2, nl: -2 };
  const seek = (which: 'lt' | 'gt' | 'nl', char: string, from: number): number => {
    if (next[which] !== -1 && next[which] < from) next[which] = raw.indexOf(char, from);
    return next[which];
  };
  let lower: string | undefined;

  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '&') {
      REFERENCE.lastIndex = i;
      const ref = REFERENCE.exec(raw)?.[0];
      if (ref && validReference(ref)) {
        out += ref;
        i += ref.length;
      } else {
        out += '&amp;';
        i++;
      }
      continue;
    }
    if (c === '>') {
      out += '&gt;';
      i++;
      continue;
    }
    if (c === '{' && input.format === 'srt' && raw[i + 1] === '\\') {
      ASS_OVERRIDE.lastIndex = i;
      const tag = ASS_OVERRIDE.exec(raw)?.[0];
      if (tag) {
        remove(i, tag);
        i += tag.length;
        continue;
      }
    }
    if (c === '<') {
      const close = seek('gt', '>', i + 1);
      const newline = seek('nl', '\n', i + 1);
      const lt = seek('lt', '<', i + 1);
      const after = raw[i + 1] ?? '';
      // "a < b", "<<", a '<' with no '>' on its line: text, not a tag.
      if (close === -1 || (newline !== -1 && newline < close) || (lt !== -1 && lt < close) || !/[A-Za-z0-9/]/.test(after)) {
        out += '&lt;';
        i++;
        continue;
      }
      const tagText = raw.slice(i, close + 1);
      const body = tagText.slice(1, -1);
      const at = i;
      i = close + 1;
      if (/^\d/.test(body)) {
        const time = parseTimestamp(body, 'webvtt');
        if (time.ok && time.ms > input.startMs && time.ms < input.endMs) out += tagText;
        else remove(at, `${tagText} (a timestamp tag must be a valid time inside the cue's time range)`);
        continue;
      }
      if (body.startsWith('/')) {
        const name = body.slice(1).trim().split('.')[0]?.toLowerCase() ?? '';
        const top = stack[stack.length - 1];
        if (top === name) {
          stack.pop();
          out += `</${name}>`;
        } else if (name === 'ruby' && top === 'rt' && stack[stack.length - 2] === 'ruby') {
          stack.length -= 2;
          out += '</rt></ruby>';
        } else if (!(ALLOWED.has(name) && stack.includes(name))) {
          remove(at, tagText);
        }
        continue;
      }
      const space = body.search(/\s/);
      const head = space === -1 ? body : body.slice(0, space);
      const annotation = space === -1 ? '' : body.slice(space).trim().replace(/\s+/g, ' ');
      const [rawName = '', ...classes] = head.replace(/\/$/, '').split('.');
      const name = rawName.toLowerCase();
      if (name === 'br') {
        out += '\n';
        continue;
      }
      if (DROP_CONTENT.has(name)) {
        lower ??= raw.toLowerCase();
        const end = lower.indexOf(`</${name}`, i);
        const endClose = end === -1 ? -1 : raw.indexOf('>', end);
        remove(at, `<${name}>…</${name}>`);
        i = endClose === -1 ? raw.length : endClose + 1;
        continue;
      }
      if (!ALLOWED.has(name)) {
        remove(at, tagText);
        continue;
      }
      if (name === 'rt' && stack[stack.length - 1] !== 'ruby') {
        remove(at, `${tagText} (rt is only allowed directly inside ruby)`);
        continue;
      }
      let note = '';
      if (name === 'lang') {
        const language = checkLanguageTag(annotation);
        if (!language.ok) {
          remove(at, `${tagText} (the lang tag needs a language such as <lang en>)`);
          continue;
        }
        note = ` ${language.tag}`;
      } else if (name === 'v') {
        if (annotation) note = ` ${escapeAnnotation(annotation)}`;
      } else if (annotation) {
        remove(at, `the text after "${name}" in ${tagText} (only <v> and <lang> take one)`);
      }
      const safeClasses = classes.filter((cls) => CLASS_NAME.test(cls));
      if (safeClasses.length !== classes.filter(Boolean).length) remove(at, `class names in ${tagText} (use letters, digits, _ and -)`);
      stack.push(name);
      out += `<${[name, ...safeClasses].join('.')}${note}>`;
      continue;
    }
    const code = c.charCodeAt(0);
    if ((code < 0x20 && c !== '\t' && c !== '\n') || code === 0x7f) {
      remove(i, `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
      i++;
      continue;
    }
    // Plain text: copy up to the next character that needs a look.
    SPECIAL.lastIndex = i + 1;
    const stop = SPECIAL.test(raw) ? SPECIAL.lastIndex - 1 : raw.length;
    out += raw.slice(i, stop);
    i = stop;
  }
  for (let k = stack.length - 1; k >= 0; k--) out += `</${stack[k]}>`;
  const text = tidyLines(out);
  return removed ? { text, warning: removalWarning(input, removed) } : { text };
}

/** No trailing spaces, no empty lines (an empty line would end the cue). */
function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim().length > 0)
    .join('\n');
}

function validReference(ref: string): boolean {
  if (!ref.startsWith('&#')) return true;
  const code = ref[2] === 'x' || ref[2] === 'X' ? Number.parseInt(ref.slice(3, -1), 16) : Number.parseInt(ref.slice(2, -1), 10);
  return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
}

/** A voice name: plain text that cannot end the tag or form "-->" with its closing `>`. */
function escapeAnnotation(text: string): string {
  const escaped = text.replace(/&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|&/g, (match) => (match !== '&' && validReference(match) ? match : `&amp;${match.slice(1)}`));
  return escaped.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/-+$/, '');
}

function removalWarning(input: CueTextInput, removed: Removed): Reason {
  const before = input.raw.slice(0, removed.offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  let newlines = 0;
  for (let k = before.indexOf('\n'); k !== -1; k = before.indexOf('\n', k + 1)) newlines++;
  const shown = removed.names.slice(0, NAMED).join(', ');
  const more = removed.count - Math.min(removed.names.length, NAMED);
  const list = more > 0 ? `${shown} and ${more} more` : shown;
  return captionReason(
    'captions.markup-removed',
    `Removed from the cue at line ${input.cueLine}: ${list}. Caption text may only use the WebVTT tags <b> <i> <u> <c> <v> <lang> <ruby> <rt> and timestamps; the rest of the text is kept.`,
    input.firstLine + newlines,
    removed.offset - lineStart + 1,
  );
}
