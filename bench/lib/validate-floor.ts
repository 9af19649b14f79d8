/**
 * The in-process floor of `lectern run` on quizzes (bench/cli-cost.ts): the same validation —
 * parseQuiz with the configured limits — over every quiz file under a folder, in one process,
 * with nothing written.   node dist/bench/lib/validate-floor.js <folder>
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../shared/runtime/config.js';
import { parseQuiz } from '../../shared/quiz/parse-quiz.js';

const folder = process.argv[2];
if (!folder) throw new Error('usage: validate-floor <folder>');
const config = parseConfig({ LECTERN_RUNTIME: 'local' });
let accepted = 0;
for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.gift')) continue;
  const result = parseQuiz({
    bytes: readFileSync(path.join(entry.parentPath, entry.name)),
    fileName: entry.name,
    knownAssets: [],
    unsupportedQuestions: config.quizUnsupported,
    limits: { maxQuestions: config.limits.maxQuestions, maxBytes: config.limits.maxBytes.quiz },
  });
  if (result.ok) accepted++;
}
process.stdout.write(`${accepted}\n`);
