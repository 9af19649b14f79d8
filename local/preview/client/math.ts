/**
 * TeX in quiz text (`\( \)`, `\[ \]`, `$$ $$`, `[tex]`), typeset in the page by KaTeX as MathML:
 * browsers draw MathML themselves and screen readers read it, so no stylesheet or font is needed
 * and nothing is loaded from elsewhere. A formula KaTeX cannot read stays as written, marked.
 */
import katex from 'katex';
import { mayHoldTex, scanTex } from '../../../shared/quiz/tex-delimiters.js';

/** Where formulas are not typeset: code, and controls whose text cannot hold markup. */
const SKIP = new Set(['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION', 'CODE', 'PRE', 'MATH']);

function typeset(tex: string, display: boolean, source: string): Node {
  try {
    const template = document.createElement('template');
    template.innerHTML = katex.renderToString(tex, { output: 'mathml', displayMode: display, throwOnError: true });
    return template.content;
  } catch (error) {
    const raw = document.createElement('span');
    raw.className = 'tex-error';
    raw.title = error instanceof Error ? error.message : String(error);
    raw.textContent = source;
    return raw;
  }
}

/** Replaces every formula in the text under `root` by its MathML. */
export function renderMath(root: ParentNode & Node): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let parent = node.parentElement;
    while (parent && !SKIP.has(parent.tagName.toUpperCase())) parent = parent.parentElement;
    if (!parent && mayHoldTex(node.nodeValue ?? '')) texts.push(node as Text);
  }
  for (const text of texts) {
    const value = text.nodeValue ?? '';
    const parts = document.createDocumentFragment();
    let i = 0;
    for (const { at, end, delimiter, tex } of scanTex(value).formulas) {
      parts.append(value.slice(i, at), typeset(tex.trim(), delimiter.display, value.slice(at, end)));
      i = end;
    }
    parts.append(value.slice(i));
    text.replaceWith(parts);
  }
}
