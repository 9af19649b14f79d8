/**
 * `npm run test:corpus`: every file of the shared real-world corpus (PDFs and quizzes other people
 * wrote) through `lectern run --json`, as a user would run it. Every file must get a verdict —
 * published or rejected, never failed, no crash, no hang — and the verdicts must be the expected
 * ones. The corpus path comes from LECTERN_CORPUS (default ../shared/corpus); under CI=true a
 * missing corpus is a failure.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePdf } from '../../shared/pdf/validate-pdf.js';
import { QUIZ_CORPUS_DECISIONS } from '../helpers/quiz-corpus-decisions.js';

const run = promisify(execFile);
const CORPUS = path.resolve(process.env.LECTERN_CORPUS ?? '../shared/corpus');
const present = existsSync(path.join(CORPUS, 'pdf', 'MANIFEST.tsv'));

interface Result {
  key: string;
  status: 'published' | 'rejected' | 'failed';
  reasons: Array<{ code: string; message: string; line?: number }>;
}

function manifest(folder: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(path.join(CORPUS, folder, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = (header ?? '').split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((cell, i) => [columns[i], cell])));
}

async function lecternRun(files: string[], lesson: string, stateDir: string): Promise<Map<string, Result>> {
  const args = [path.resolve('bin/lectern.js'), 'run', ...files, '--course', 'corpus', '--lesson', lesson, '--json', '--state-dir', stateDir];
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }));
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (e.code !== 1 || !e.stdout) throw new Error(`lectern run crashed (exit ${e.code}): ${e.stderr}`);
    stdout = e.stdout;
  }
  const results = JSON.parse(stdout) as Result[];
  return new Map(results.map((r) => [r.key.split('/').at(-1) ?? r.key, r]));
}

describe('the shared corpus through lectern run --json', () => {
  it('is there (required on CI)', () => {
    if (process.env.CI === 'true') expect(present, `corpus not found at ${CORPUS}`).toBe(true);
  });

  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-corpus-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  const pdfRows = present ? manifest('pdf') : [];
  it.runIf(present)(`gives each of the ${pdfRows.length} PDFs the verdict the validator gives, JavaScript always rejected`, async () => {
    const files = pdfRows.map((row) => path.join(CORPUS, 'pdf', row.filename!));
    const results = await lecternRun(files, 'pdfs', stateDir);
    expect(results.size).toBe(files.length);
    for (const row of pdfRows) {
      const result = results.get(row.filename!);
      expect(result, row.filename).toBeDefined();
      expect(result!.status, row.filename).not.toBe('failed');
      const direct = await validatePdf(new Uint8Array(readFileSync(path.join(CORPUS, 'pdf', row.filename!))));
      expect(result!.status, `${row.filename}: ${JSON.stringify(result!.reasons)}`).toBe(direct.ok ? 'published' : 'rejected');
      if (row.has_javascript === 'yes') expect(result!.reasons.map((r) => r.code), row.filename).toContain('pdf.javascript');
      if (result!.status === 'rejected') expect(result!.reasons.length, row.filename).toBeGreaterThan(0);
    }
  });

  const quizRows = present ? manifest('quiz') : [];
  const folders = [...new Set(quizRows.map((r) => r.filename!.split('/')[0]!))];
  it.runIf(present)(`gives each of the ${quizRows.length} quiz files its expected verdict, errors at the right line`, async () => {
    for (const folder of folders) {
      const rows = quizRows.filter((r) => r.filename!.startsWith(`${folder}/`));
      // lone files of one lesson: files with the same name in subfolders go to their own lesson
      const groups = new Map<string, Array<Record<string, string>>>();
      for (const row of rows) {
        const lesson = `${folder}-${path.dirname(row.filename!).split('/').slice(1).join('-') || 'files'}`.replace(/[^a-z0-9-]/g, '-');
        groups.set(lesson, [...(groups.get(lesson) ?? []), row]);
      }
      for (const [lesson, group] of groups) {
        const results = await lecternRun(group.map((r) => path.join(CORPUS, 'quiz', r.filename!)), lesson, stateDir);
        for (const row of group) {
          const name = path.basename(row.filename!);
          const result = results.get(name);
          expect(result, row.filename).toBeDefined();
          expect(result!.status, row.filename).not.toBe('failed');
          const decision = QUIZ_CORPUS_DECISIONS[row.filename!];
          const valid = row.validity!.startsWith('valid') && !decision;
          expect(result!.status, `${row.filename} (${row.validity}): ${JSON.stringify(result!.reasons.slice(0, 3))}`).toBe(valid ? 'published' : 'rejected');
        }
      }
    }
    const errors = await lecternRun([path.join(CORPUS, 'quiz/aiken/moodle_aiken_errors.txt')], 'aiken-lines', stateDir);
    // Moodle's lines 3, 5, 7 and 18; lectern reports the question without an ANSWER line where
    // that line goes (17, after its last option) rather than at the next question (18).
    expect(errors.get('moodle_aiken_errors.txt')!.reasons.map((r) => r.line)).toEqual(expect.arrayContaining([3, 5, 7, 17]));
  });

  it.runIf(present)('finds every corpus file on disk that the manifests list', () => {
    for (const row of [...pdfRows.map((r) => `pdf/${r.filename}`), ...quizRows.map((r) => `quiz/${r.filename}`)]) {
      expect(statSync(path.join(CORPUS, row)).isFile(), row).toBe(true);
    }
    expect(readdirSync(path.join(CORPUS, 'pdf')).filter((f) => f.endsWith('.pdf'))).toHaveLength(pdfRows.length);
  });
});
