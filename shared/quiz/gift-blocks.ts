/**
 * GIFT's outer structure, read the way Moodle reads it: questions are separated by blank
 * lines; lines starting with `//` are comments (they may carry `[id:…]` and `[tag:…]`);
 * `$CATEGORY: path` sets the category of the questions after it.
 */
import type { Reason } from '../contract/errors.js';
import { reason } from './reasons.js';

export interface GiftBlock {
  /** The question's text with comment lines removed, lines joined with LF. */
  text: string;
  /** Original 1-based line number of each line of `text`. */
  lines: number[];
  id?: string;
  tags: string[];
}

export type GiftItem = { kind: 'category'; path: string; line: number } | { kind: 'question'; block: GiftBlock };

export function splitGiftItems(text: string): GiftItem[] {
  const items: GiftItem[] = [];
  let current: { line: number; text: string }[] = [];
  const flush = (): void => {
    if (current.length > 0) items.push(...itemsOf(current));
    current = [];
  };
  text.split('\n').forEach((line, i) => {
    if (/^[ \t]*$/.test(line)) flush();
    else current.push({ line: i + 1, text: line });
  });
  flush();
  return items;
}

function itemsOf(lines: { line: number; text: string }[]): GiftItem[] {
  const comments = lines.filter((l) => l.text.trim().startsWith('//'));
  const content = lines.filter((l) => !l.text.trim().startsWith('//'));
  const first = content[0];
  if (!first) return [];
  const items: GiftItem[] = [];
  let body = content;
  if (first.text.trim().startsWith('$CATEGORY:')) {
    items.push({ kind: 'category', path: first.text.trim().slice('$CATEGORY:'.length).trim(), line: first.line });
    body = content.slice(1);
    if (body.length === 0) return items;
  }
  const commentText = comments.map((c) => c.text).join('\n');
  const id = /\[id:([^\p{Cc}]+?)\]/u.exec(commentText)?.[1]?.trim().replace('\\]', ']');
  const tags = [...commentText.matchAll(/\[tag:([^\p{Cc}]+?)\]/gu)].map((m) => (m[1] ?? '').trim());
  const block: GiftBlock = { text: body.map((l) => l.text).join('\n'), lines: body.map((l) => l.line), tags };
  if (id) block.id = id;
  items.push({ kind: 'question', block });
  return items;
}

/**
 * Unbalanced braces, found before the grammar sees them so the message can say what to do.
 * Returns an error, or undefined when every `{` has its `}`.
 */
export function checkGiftBraces(block: GiftBlock): Reason | undefined {
  let open: { line: number; column: number } | undefined;
  let closed: { line: number } | undefined;
  const rows = block.text.split('\n');
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] ?? '';
    const line = block.lines[r] ?? 1;
    for (let c = 0; c < row.length; c++) {
      const ch = row[c];
      if (ch === '\\') {
        c++;
      } else if (ch === '{') {
        if (open) {
          return reason(
            'quiz.syntax',
            `A second '{' at line ${line}, column ${c + 1} inside the answer block opened at line ${open.line}: close the first block with '}', or write \\{ for a literal brace.`,
            { line, column: c + 1 },
          );
        }
        if (closed) {
          return reason(
            'quiz.syntax',
            `A second answer block starts at line ${line}, column ${c + 1}, after the one closed at line ${closed.line}: ` +
              'separate questions with a blank line, or write \\{ for a literal brace.',
            { line, column: c + 1 },
          );
        }
        open = { line, column: c + 1 };
      } else if (ch === '}') {
        if (!open) {
          return reason(
            'quiz.syntax',
            `'}' at line ${line}, column ${c + 1} closes no answer block: remove it, or write \\} for a literal brace.`,
            { line, column: c + 1 },
          );
        }
        open = undefined;
        closed = { line };
      }
    }
  }
  if (!open) return undefined;
  const lastLine = block.lines[block.lines.length - 1] ?? open.line;
  return reason(
    'quiz.syntax',
    `The answer block opened with '{' at line ${open.line}, column ${open.column} is not closed before line ${lastLine + 1}: ` +
      "add '}' after the last answer (a blank line ends a question, so answers cannot contain blank lines), or write \\{ for a literal brace.",
    open,
  );
}
