/**
 * Aiken: one-line question, options `A)` or `A.` (a space after the label is optional), then
 * `ANSWER: B`. Read line by line the way Moodle reads it, so the same mistakes are reported on
 * the same lines ("at least 2 answers", "not started", "not completed").
 */
import type { DraftQuestion, DraftQuiz } from './draft.js';
import { excerpt, reason } from './reasons.js';

export interface AikenOptions {
  maxQuestions: number;
}

interface OpenQuestion {
  stem: string;
  line: number;
  number: number;
  options: { label: string; text: string; line: number }[];
}

const OPTION = /^([A-Z])[).][ \t]?/;
const ANSWER = /^ANSWER:/;

export function parseAiken(text: string, options: AikenOptions): DraftQuiz {
  const draft: DraftQuiz = { questions: [], errors: [], warnings: [] };
  let open: OpenQuestion | undefined;
  let started = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const content = (lines[i] ?? '').trim();
    if (content.length < 2) continue;
    const option = OPTION.exec(content);
    if (option) {
      if (!open) {
        draft.errors.push(notStarted(line, 'an option'));
        continue;
      }
      open.options.push({ label: option[1] ?? '', text: content.slice(option[0].length).trim(), line });
    } else if (ANSWER.test(content)) {
      if (!open) {
        draft.errors.push(notStarted(line, 'an ANSWER line'));
        continue;
      }
      const question = finish(open, content, line, draft);
      if (question) draft.questions.push(question);
      open = undefined;
      if (draft.questions.length > options.maxQuestions) {
        return {
          questions: [],
          errors: [
            reason(
              'quiz.too-many-questions',
              `The file has more than ${options.maxQuestions} questions (the limit): split it into several quiz files.`,
              { line },
            ),
          ],
          warnings: [],
        };
      }
    } else {
      if (open) draft.errors.push(open.options.length === 0 ? continued(open, line) : notCompleted(open, line));
      open = { stem: content, line, number: ++started, options: [] };
    }
  }
  if (open) draft.errors.push(notCompleted(open, undefined));
  return draft;
}

function finish(open: OpenQuestion, content: string, line: number, draft: DraftQuiz): DraftQuestion | undefined {
  const name = `‘${excerpt(open.stem)}’ (line ${open.line})`;
  if (open.options.length < 2) {
    draft.errors.push(
      reason(
        'quiz.too-few-choices',
        `Question ${name} must have at least 2 answers before its ANSWER line at line ${line}: add options such as 'A) …' and 'B) …'.`,
        { line, column: 1 },
      ),
    );
    return undefined;
  }
  const letter = content.slice(content.indexOf(':') + 1).trim().slice(0, 1);
  const index = open.options.findIndex((o) => o.label === letter);
  if (index === -1) {
    const labels = open.options.map((o) => o.label).join(', ');
    draft.errors.push(
      reason(
        'quiz.no-correct-answer',
        `Question ${name} has no correct answer: its ANSWER line at line ${line} names '${letter || '(nothing)'}', ` +
          `but the options are ${labels}. Write 'ANSWER: ' followed by one of those letters.`,
        { line, column: 1 },
      ),
    );
    return undefined;
  }
  return {
    type: 'multiple-choice',
    stem: { text: open.stem, format: 'plain' },
    position: { line: open.line, column: 1 },
    number: open.number,
    choices: open.options.map((o, i) => ({
      id: o.label.toLowerCase(),
      text: { text: o.text, format: 'plain' },
      credit: i === index ? 100 : 0,
    })),
  };
}

function notStarted(line: number, what: string): ReturnType<typeof reason> {
  return reason(
    'quiz.syntax',
    `Question not started on line ${line}: ${what} comes before any question text. Put the question on its own line before its options, or remove the stray line.`,
    { line, column: 1 },
  );
}

/**
 * A question whose options are not followed by its ANSWER line. Moodle reports it at the next
 * question's first line ("not completed before the next question starts"); lectern reports it
 * where the ANSWER line goes — right after the last option — and says which letters it may name.
 */
function notCompleted(open: OpenQuestion, nextLine: number | undefined): ReturnType<typeof reason> {
  const name = `‘${excerpt(open.stem)}’ (line ${open.line})`;
  const lastOption = open.options[open.options.length - 1]?.line ?? open.line;
  const labels = open.options.map((o) => o.label).join(', ');
  if (labels === '') {
    return reason(
      'quiz.syntax',
      `Question ${name} has no options and no ANSWER line: add options such as 'A) …' and 'B) …' after it, then 'ANSWER: <letter>'.`,
      { line: open.line, column: 1 },
    );
  }
  const where = nextLine === undefined ? 'the file ends without one' : `the next question starts on line ${nextLine} without one`;
  return reason(
    'quiz.syntax',
    `Question ${name} has no ANSWER line (${where}): add 'ANSWER: <letter>' (one of ${labels}) on line ${lastOption + 1}, right after its last option on line ${lastOption}.`,
    { line: lastOption + 1, column: 1 },
  );
}

/** A second line of question text (Aiken questions are one line), before any option. */
function continued(open: OpenQuestion, line: number): ReturnType<typeof reason> {
  const name = `‘${excerpt(open.stem)}’ (line ${open.line})`;
  return reason(
    'quiz.syntax',
    `Question ${name} continues on line ${line}, but an Aiken question is one line of text followed by its options ('A) …'): join the lines, or start the options here.`,
    { line, column: 1 },
  );
}
