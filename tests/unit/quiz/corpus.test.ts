/**
 * The real-world corpus (outside the repo, read-only): every quiz file gets a verdict, and the
 * verdict agrees with what the file's source expects — except where lectern decides otherwise
 * on purpose (see DECISIONS, and docs/quiz-format.md).
 *
 * Corpus location: $LECTERN_CORPUS, default ../shared/corpus next to the repo. The
 * folder must exist wherever LECTERN_CORPUS names it (.ci/run) and under CI=true, where a missing
 * file is a failure; elsewhere (a clone alone, as on GitHub) the cases about a missing file are
 * shown as skipped, never passed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Question } from '../../../shared/quiz/model.js';
import { parseQuiz, type QuizResult } from '../../../shared/quiz/parse-quiz.js';
import { REPO_ROOT } from './helpers.js';
import { QUIZ_CORPUS_DECISIONS as DECISIONS } from '../../helpers/quiz-corpus-decisions.js';
import { corpusRequired } from '../../helpers/smithy-validate.js';

const CORPUS = resolve(REPO_ROOT, process.env['LECTERN_CORPUS'] ?? '../shared/corpus');
const QUIZ_DIR = join(CORPUS, 'quiz');
const present = existsSync(join(QUIZ_DIR, 'MANIFEST.tsv'));
/** Where the corpus must be whole: a missing file fails instead of skipping. */
const required = corpusRequired() || process.env.CI === 'true';

interface Row {
  filename: string;
  format: string;
  validity: string;
  size_bytes: string;
  sha256: string;
  xml_wellformed: string;
  note: string;
}

function readManifest(): Map<string, Row> {
  if (!present) return new Map();
  const [header, ...lines] = readFileSync(join(QUIZ_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const columns = (header ?? '').split('\t');
  return new Map(
    lines.map((line) => {
      const cells = line.split('\t');
      const row = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])) as unknown as Row;
      return [row.filename, row];
    }),
  );
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const manifest = readManifest();
const files = listFiles(QUIZ_DIR)
  .map((path) => relative(QUIZ_DIR, path).split('\\').join('/'))
  .filter((name) => name !== 'MANIFEST.tsv')
  .sort();

/**
 * Files the source calls valid that lectern rejects on purpose, with the reason code it gives.
 * Unsupported question types reject the whole file: publishing a quiz without some of its
 * questions would silently change what the educator wrote and how it is scored.
 */


/** What the quiz validator should say about a manifest row. */
function expectation(name: string, row: Row): 'ok' | 'rejected' | { code: string } {
  const decision = DECISIONS[name];
  if (decision) return { code: decision.code };
  if (row.validity === 'n/a') return { code: 'quiz.unknown-format' };
  if (row.validity.startsWith('valid')) return 'ok';
  return 'rejected';
}

function run(name: string): QuizResult {
  return parseQuiz({ bytes: readFileSync(join(QUIZ_DIR, name)), fileName: name, knownAssets: [] });
}

/** Line numbers the note (or the XML well-formedness column) quotes, e.g. "on line 5/7". */
function quotedLines(row: Row): number[] {
  const source = `${row.note} ${row.xml_wellformed.startsWith('no:') ? row.xml_wellformed : ''}`;
  return [...source.matchAll(/line (\d+(?:\/\d+)*)/g)].flatMap((m) => (m[1] ?? '').split('/').map(Number)).filter((n) => n > 0);
}

/**
 * Where lectern reports a problem on another line than the source quotes, on purpose: an Aiken
 * question without its ANSWER line is reported where that line goes (after the last option),
 * not at the next question's first line as Moodle does (issue #15).
 */
const LINE_DECISIONS: Record<string, Record<number, number>> = {
  'aiken/moodle_aiken_errors.txt': { 18: 17 },
};

/** The lines lectern reports for a manifest row. */
function expectedLines(name: string, row: Row): number[] {
  return quotedLines(row).map((line) => LINE_DECISIONS[name]?.[line] ?? line);
}

describe('the corpus', () => {
  it('is present wherever LECTERN_CORPUS names it (.ci/run)', () => {
    if (required) expect(present, `corpus not found at ${QUIZ_DIR}`).toBe(true);
    expect(files.length === 0 || present).toBe(true);
  });

  it.each(files)('%s is listed in the manifest and unchanged', (name) => {
    const row = manifest.get(name);
    expect(row, `${name} in MANIFEST.tsv`).toBeDefined();
    const bytes = readFileSync(join(QUIZ_DIR, name));
    expect(bytes.length).toBe(Number(row?.size_bytes));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(row?.sha256);
  });

  it.each(files)('%s gets the verdict its source expects', (name) => {
    const row = manifest.get(name) as Row;
    const result = run(name);
    const expected = expectation(name, row);
    if (expected === 'ok') {
      if (!result.ok) throw new Error(`${name} (${row.validity}) was rejected:\n${JSON.stringify(result.reasons, null, 2)}`);
      return;
    }
    expect(result.ok, `${name} (${row.validity}) must be rejected`).toBe(false);
    if (result.ok) return;
    if (typeof expected === 'object') expect(result.reasons.map((r) => r.code)).toContain(expected.code);
    for (const line of expectedLines(name, row)) expect(result.reasons.map((r) => r.line), `a reason on line ${line}`).toContain(line);
  });
});

describe('the corpus, file by file', () => {
  const has = (name: string): boolean => files.includes(name);
  /** A case about one corpus file: skipped (visibly) where the file is missing, unless required. */
  const withCorpus = present || required ? it : it.skip;
  const withFile = (name: string) => (has(name) || required ? it : it.skip);
  /** In a loop over the manifest: true when the file is here; where required, a missing one fails. */
  const here = (name: string): boolean => {
    if (required) expect(has(name), `${name} (listed in MANIFEST.tsv) is in the corpus`).toBe(true);
    return has(name);
  };
  const count = (name: string): number => {
    const result = run(name);
    return result.ok ? result.quiz.questions.length : -1;
  };

  withFile('gift/moodle_questions_encoding_windows-1252.gift.txt')('rejects the Windows-1252 GIFT file as not UTF-8, at the bad byte', () => {
    const name = 'gift/moodle_questions_encoding_windows-1252.gift.txt';
    const result = run(name);
    expect(result.ok ? [] : result.reasons.map((r) => r.code)).toEqual(['quiz.invalid-utf8']);
    const bytes = readFileSync(join(QUIZ_DIR, name));
    const bad = bytes.findIndex((b) => b >= 0x80);
    const line = bytes.subarray(0, bad).filter((b) => b === 0x0a).length + 1;
    expect(result.ok ? undefined : result.reasons[0]?.line).toBe(line);
  });

  withFile('aiken/moodle_aiken_errors.txt')('reports the Aiken errors on the lines Moodle reports them, a missing ANSWER line where it goes', () => {
    const name = 'aiken/moodle_aiken_errors.txt';
    const result = run(name);
    const reasons = result.ok ? [] : result.reasons;
    // Moodle reports the question without an ANSWER line at the next question's line (18);
    // lectern reports it where the ANSWER line goes, after the last option (line 17), and names line 18 too.
    expect(quotedLines(manifest.get(name) as Row)).toContain(18);
    expect(reasons.map((r) => r.line)).toEqual(expectedLines(name, manifest.get(name) as Row));
    expect(reasons.find((r) => r.line === 3)?.message).toContain('at least 2 answers');
    expect(reasons.find((r) => r.line === 5)?.message).toContain('not started');
    expect(reasons.find((r) => r.line === 17)?.message).toContain('has no ANSWER line (the next question starts on line 18 without one)');
  });

  withFile('moodle_xml/moodle_error_invalid_grades.xml')('rejects the invalid Moodle grade 33 on its answer’s line', () => {
    const name = 'moodle_xml/moodle_error_invalid_grades.xml';
    const text = readFileSync(join(QUIZ_DIR, name), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('fraction="33"')) + 1;
    const result = run(name);
    expect(result.ok ? [] : result.reasons.filter((r) => r.code === 'quiz.invalid-grade').map((r) => r.line)).toEqual([line]);
  });

  withCorpus('imports as many questions as Moodle says it does ("Importing N questions")', () => {
    for (const [name, row] of manifest) {
      const match = /Importing (\d+) questions/.exec(row.note);
      if (!match || !here(name)) continue;
      expect(count(name), name).toBe(Number(match[1]));
    }
  });

  withCorpus('agrees with GIFT-grammar-PEG.js on question counts and types', () => {
    const kinds: Record<string, Question['type'][]> = {
      MC: ['multiple-choice', 'multiple-response'],
      Short: ['short-answer'],
      TF: ['true-false'],
      Numerical: ['numerical'],
      Matching: ['matching'],
      Essay: ['essay'],
      Description: ['description'],
    };
    for (const ast of files.filter((f) => f.startsWith('gift/expected_pegjs/'))) {
      const gift = `gift/pegjs_${ast.slice('gift/expected_pegjs/'.length).replace(/\.json$/, '')}.gift`;
      if (!here(gift)) continue;
      const expected = (JSON.parse(readFileSync(join(QUIZ_DIR, ast), 'utf8')) as { type: string }[]).filter((q) => q.type !== 'Category');
      const result = run(gift);
      if (!result.ok) throw new Error(`${gift} rejected: ${JSON.stringify(result.reasons)}`);
      expect(result.quiz.questions.length, gift).toBe(expected.length);
      result.quiz.questions.forEach((q, i) => expect(kinds[expected[i]?.type ?? '']).toContain(q.type));
    }
  });

  withFile('qti21/ims_choice.xml')('warns, not rejects, about the images QTI items refer to but the corpus does not include', () => {
    const name = 'qti21/ims_choice.xml';
    const result = run(name);
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['quiz.missing-asset']);
  });
});
