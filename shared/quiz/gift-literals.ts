/**
 * GIFT's special characters, read the way Moodle's importer reads them. Moodle gives `:` a
 * meaning in two places only — `::title::` at the very start of a question and the tolerance
 * separator of a numerical answer (`{#3:0.1}`) — and `=`, `~`, `#` a meaning only inside the
 * answer block (answers, feedback) and not in its general feedback after `####`. Everywhere else
 * they are plain text. The grammar (`gift-pegjs`) wants all of them escaped everywhere, so this
 * escapes the ones Moodle reads literally before the grammar sees the question, and remembers
 * where it inserted backslashes so errors still point at the educator's own columns.
 */

export interface GiftLiterals {
  /** The question with every literal special character escaped. */
  text: string;
  /** Per line of `text`: 0-based columns (in `text`) of the backslashes inserted. */
  inserted: number[][];
  /** Where the answer block's `{` is (0-based row and column in the original text), if any. */
  answerStart?: { row: number; column: number };
}

const ALWAYS_TEXT = new Set([':', '=', '~', '#']);
/** What a backslash escapes in GIFT; before anything else it is a plain backslash. */
const TITLE_ESCAPES = new Set([':', '=', '~', '#', '{', '}', '\\', 'n']);

export function escapeGiftLiterals(text: string): GiftLiterals {
  const inserted: number[][] = [[]];
  let out = '';
  let column = 0;
  let row = 0;
  let originalColumn = 0;
  let answerStart: GiftLiterals['answerStart'];
  const emit = (s: string, escape = false): void => {
    if (escape) {
      inserted[row]?.push(column);
      out += '\\';
      column++;
    }
    for (const ch of s) {
      out += ch;
      if (ch === '\n') {
        row++;
        column = 0;
        originalColumn = 0;
        inserted.push([]);
      } else {
        column++;
        originalColumn++;
      }
    }
  };

  let i = 0;
  // Moodle reads a title only at the very start: "::" up to the next "::". Without a closing
  // "::" it drops the opening pair and reads the rest as the question text.
  const lead = /^\s*/.exec(text)?.[0].length ?? 0;
  emit(text.slice(0, lead));
  i = lead;
  if (text.startsWith('::', i)) {
    const end = text.indexOf('::', i + 2);
    if (end === -1) {
      emit('  ');
      i += 2;
    } else {
      emit('::');
      for (let k = i + 2; k < end; k++) {
        const ch = text[k] ?? '';
        if (ch === '\\' && TITLE_ESCAPES.has(text[k + 1] ?? '')) {
          emit(text.slice(k, k + 2));
          k++;
        } else emit(ch, ALWAYS_TEXT.has(ch) || ch === '\\'); // a lone backslash (TeX's \( in a title) is text
      }
      emit('::');
      i = end + 2;
    }
  }

  const answer = findAnswerBlock(text, i);
  for (let k = i; k < text.length; k++) {
    const ch = text[k] ?? '';
    if (ch === '\\') {
      emit(text.slice(k, k + 2));
      k++;
      continue;
    }
    if (answer && k === answer.open) {
      answerStart = { row, column: originalColumn };
      emit(ch);
      emitAnswerBlock(text.slice(answer.open + 1, answer.close), emit);
      emit('}');
      k = answer.close;
      continue;
    }
    emit(ch, ALWAYS_TEXT.has(ch));
  }
  return { text: out, inserted, ...(answerStart ? { answerStart } : {}) };
}

/** Maps a 1-based column of the escaped text back to the educator's own column. */
export function originalColumn(literals: GiftLiterals, row: number, column: number): number {
  const before = (literals.inserted[row] ?? []).filter((c) => c < column - 1).length;
  return column - before;
}

function findAnswerBlock(text: string, from: number): { open: number; close: number } | undefined {
  let open = -1;
  for (let k = from; k < text.length; k++) {
    const ch = text[k];
    if (ch === '\\') k++;
    else if (ch === '{' && open === -1) open = k;
    else if (ch === '}' && open !== -1) return { open, close: k };
  }
  return undefined;
}

/**
 * Inside `{…}`: `=`, `~`, `#` keep their meaning; `:` is literal except in a numerical answer
 * (before its `#feedback`); general feedback after the last `####` is all text.
 */
function emitAnswerBlock(block: string, emit: (s: string, escape?: boolean) => void): void {
  const general = lastUnescaped(block, '####');
  const answers = general === -1 ? block : block.slice(0, general);
  const numerical = answers.trimStart().startsWith('#');
  let inFeedback = false;
  let sawMarker = false;
  for (let k = 0; k < answers.length; k++) {
    const ch = answers[k] ?? '';
    if (ch === '\\') {
      emit(answers.slice(k, k + 2));
      k++;
      continue;
    }
    if (numerical) {
      if (ch === '#' && !sawMarker) sawMarker = true;
      else if (ch === '#') inFeedback = true;
      else if (ch === '=' || ch === '~') inFeedback = false;
      emit(ch, ch === ':' && inFeedback);
    } else {
      emit(ch, ch === ':');
    }
  }
  if (general === -1) return;
  emit('####');
  for (let k = general + 4; k < block.length; k++) {
    const ch = block[k] ?? '';
    if (ch === '\\') {
      emit(block.slice(k, k + 2));
      k++;
    } else emit(ch, ALWAYS_TEXT.has(ch));
  }
}

function lastUnescaped(text: string, needle: string): number {
  let found = -1;
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text.startsWith(needle, k)) {
      found = k;
      k += needle.length - 1;
    }
  }
  return found;
}
