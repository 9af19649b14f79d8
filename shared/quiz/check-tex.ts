/**
 * TeX in quiz text — `\( … \)`, `\[ … \]`, `$$ … $$` and Moodle's `[tex] … [/tex]` — is kept as
 * written (the browser typesets it: KaTeX or MathJax). This finds the mistakes that make a
 * formula show as raw text or fail to typeset — a delimiter never closed, unbalanced braces,
 * `\left` without `\right`, `\begin{x}` without `\end{x}` — and reports each as a warning with
 * the line and column in the uploaded file. It adds findings; the typesetter has the last word.
 */
import type { Reason } from '../contract/errors.js';
import type { Question } from './model.js';
import { reason } from './reasons.js';
import { scanTex } from './tex-delimiters.js';

interface TexProblem {
  /** The formula (or the text after an unclosed delimiter), as written. */
  snippet: string;
  message: string;
}

/** Problems of every formula in one text (HTML or plain, entities decoded first). */
export function texProblems(text: string): TexProblem[] {
  const plain = decodeEntities(text);
  const problems: (TexProblem & { at: number })[] = [];
  const scan = scanTex(plain);
  for (const { at, delimiter } of scan.unclosed) {
    problems.push({ at, snippet: plain.slice(at, at + 30), message: `the formula opened with ${delimiter.open} is never closed with ${delimiter.close}` });
  }
  for (const { at, end, delimiter, tex } of scan.formulas) {
    const problem = formulaProblem(tex);
    if (problem) problems.push({ at, snippet: plain.slice(at, end), message: `${problem} in ${delimiter.open}${short(tex)}${delimiter.close}` });
  }
  return problems.sort((a, b) => a.at - b.at).map(({ snippet, message }) => ({ snippet, message }));
}

/** Warnings for every formula problem in a question, placed where the formula is in `source`. */
export function checkQuestionTex(question: Question, label: string, source: string): Reason[] {
  const lines = source.split('\n');
  const warnings: Reason[] = [];
  for (const text of textsOf(question)) {
    for (const problem of texProblems(text)) {
      const at = locate(lines, problem.snippet, question.source.line) ?? question.source;
      warnings.push(reason('quiz.tex-error', `${label}: TeX error: ${problem.message}. Fix the formula or the learner sees it as raw text.`, at));
    }
  }
  return warnings;
}

function formulaProblem(tex: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    const ch = tex[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return "a '}' closes no '{'";
  }
  if (depth > 0) return `${depth} '{' ${depth === 1 ? 'is' : 'are'} never closed`;
  const lefts = (tex.match(/\\left(?![a-zA-Z])/g) ?? []).length;
  const rights = (tex.match(/\\right(?![a-zA-Z])/g) ?? []).length;
  if (lefts !== rights) return `${lefts} \\left but ${rights} \\right`;
  const open: string[] = [];
  for (const m of tex.matchAll(/\\(begin|end)\{([^}]*)\}/g)) {
    if (m[1] === 'begin') open.push(m[2] ?? '');
    else if (open.pop() !== m[2]) return `\\end{${m[2] ?? ''}} does not match a \\begin{${m[2] ?? ''}}`;
  }
  const unclosed = open.pop();
  return unclosed === undefined ? undefined : `\\begin{${unclosed}} has no \\end{${unclosed}}`;
}

/** Every text of a question a learner sees, rich or plain. */
function textsOf(question: Question): string[] {
  const out: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (key !== 'id' && key !== 'type' && key !== 'stemFormat') out.push(value);
    } else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'source') walk(v, k);
  };
  walk(question, '');
  return out;
}

/**
 * Line and column of `snippet` in the file, searching from the question's line on: as written,
 * with GIFT's escapes (`\{`), or with XML's entities (`&lt;`).
 */
function locate(lines: string[], snippet: string, fromLine: number): { line: number; column: number } | undefined {
  const needle = snippet.slice(0, 20);
  const variants = [needle, needle.replace(/[{}:=~#]/g, '\\$&'), needle.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')];
  for (let l = fromLine - 1; l < lines.length; l++) {
    for (const variant of variants) {
      const column = (lines[l] ?? '').indexOf(variant);
      if (column !== -1) return { line: l + 1, column: column + 1 };
    }
  }
  return undefined;
}

function short(tex: string): string {
  return tex.length <= 40 ? tex : `${tex.slice(0, 39)}…`;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;/g, "'")
    .replace(/&amp;/g, '&');
}
