/**
 * Authored text → (unsanitised) HTML: HTML as it is, Moodle auto-format with its line breaks,
 * plain text escaped, Markdown rendered. TeX formulas (every delimiter of tex-delimiters.ts)
 * survive Markdown untouched, to be typeset in the browser.
 */
import { Marked } from 'marked';
import type { RichText } from './draft.js';
import { escapeHtml } from './sanitize-html.js';
import { scanTex } from './tex-delimiters.js';

const markdown = new Marked({ async: false, gfm: true, breaks: false });

/** Deeper than this, Markdown and HTML are refused: no quiz needs it, and parsers recurse. */
export const MAX_TEXT_NESTING = 100;

/** Markdown that would nest blocks deeper than `MAX_TEXT_NESTING` (markers or indentation). */
export function markdownTooDeep(text: string): boolean {
  const markers = /^[ \t]*(?:(?:[>*+-]|\d{1,9}[.)])[ \t]*){17,}/m;
  const indent = /^[ \t]{129,}\S/m;
  return markers.test(text) || indent.test(text);
}

export function renderRichText(rich: RichText): string {
  switch (rich.format) {
    case 'html':
      return rich.text;
    case 'moodle':
      return rich.text.replace(/\n/g, '<br>\n');
    case 'plain':
      return escapeHtml(rich.text).replace(/\n/g, '<br>\n');
    case 'markdown':
      return markdownToHtml(rich.text);
  }
}

function markdownToHtml(text: string): string {
  const math: string[] = [];
  const protectedText = protectMath(text, math);
  const html = markdown
    .parse(protectedText, { async: false })
    .replace(/\uE000(\d+)\uE001/g, (_, index: string) => escapeHtml(math[Number(index)] ?? ''))
    .trim();
  // One short paragraph ("**this**" as an answer) reads better without its <p>.
  const single = /^<p>((?:(?!<\/?p>)[\s\S])*)<\/p>$/.exec(html);
  return single?.[1] ?? html;
}

/** Replaces each TeX formula by a placeholder, so Markdown leaves it as written. */
function protectMath(text: string, store: string[]): string {
  let out = '';
  let i = 0;
  for (const formula of scanTex(text).formulas) {
    out += `${text.slice(i, formula.at)}\uE000${store.push(text.slice(formula.at, formula.end)) - 1}\uE001`;
    i = formula.end;
  }
  return out + text.slice(i);
}
