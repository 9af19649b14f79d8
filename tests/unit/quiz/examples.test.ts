/** The bundled example course's quizzes publish cleanly; the broken example shows two errors. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuizFileName } from '../../../shared/quiz/detect-format.js';
import { parseQuiz } from '../../../shared/quiz/parse-quiz.js';
import { REPO_ROOT } from './helpers.js';

const COURSE = join(REPO_ROOT, 'examples/courses/intro-to-biology');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const quizzes = files(COURSE)
  .filter((path) => isQuizFileName(path))
  .map((path) => relative(REPO_ROOT, path));

describe('examples', () => {
  it('the example course has a quiz in every supported external format and the native one', () => {
    expect(quizzes.map((q) => q.split('.').slice(1).join('.')).sort()).toEqual(expect.arrayContaining(['aiken', 'gift', 'quiz.yaml', 'xml']));
  });

  it.each(quizzes)('%s is accepted with no warnings', (name) => {
    const result = parseQuiz({ bytes: readFileSync(join(REPO_ROOT, name)), fileName: name, knownAssets: [] });
    if (!result.ok) throw new Error(JSON.stringify(result.reasons, null, 2));
    expect(result.warnings).toEqual([]);
    expect(result.quiz.questions.length).toBeGreaterThan(0);
  });

  it('examples/broken/broken-quiz.gift is rejected with the two errors its header announces', () => {
    const name = 'examples/broken/broken-quiz.gift';
    const text = readFileSync(join(REPO_ROOT, name), 'utf8');
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const result = parseQuiz({ bytes: Buffer.from(text), fileName: name });
    expect(result.ok ? [] : result.reasons.map((r) => [r.code, r.line])).toEqual([
      ['quiz.no-correct-answer', lineOf('::Capital of France::')],
      ['quiz.syntax', lineOf('::Photosynthesis::')],
    ]);
    expect(text).toContain(`line ${lineOf('::Capital of France::')} has no correct answer`);
    expect(text).toContain(`line ${lineOf('::Photosynthesis::')} never closes its answers`);
  });

  it.each(['yaml', 'json'])('the %s example in docs/quiz-format.md is a valid quiz', (language) => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/quiz-format.md'), 'utf8');
    const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(doc)?.[1];
    expect(block, `a \`\`\`${language} block`).toBeDefined();
    const result = parseQuiz({ bytes: Buffer.from(block ?? ''), fileName: `doc.quiz.${language}` });
    if (!result.ok) throw new Error(JSON.stringify(result.reasons, null, 2));
    expect(new Set(result.quiz.questions.map((q) => q.type)).size).toBe(8);
  });
});
