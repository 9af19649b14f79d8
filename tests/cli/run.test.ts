/** `lectern run` as a user runs it: a subprocess, real files, a temporary state directory. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKEN_GIFT, GOOD_GIFT, makeTextPdf } from '../helpers/upload-fixtures.js';
import { lectern } from '../helpers/lectern-cli.js';


// Each test starts `lectern` processes: bounds for a busy two-core machine, not budgets.
describe('lectern run', { timeout: 300_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-cli-'));
    const lesson = path.join(dir, 'course-folder/courses/bio-101/lessons/week-1');
    await mkdir(lesson, { recursive: true });
    await writeFile(path.join(lesson, 'intro.gift'), GOOD_GIFT);
    await writeFile(path.join(lesson, 'slides.pdf'), await makeTextPdf({ title: 'Week 1' }));
    await writeFile(path.join(dir, 'course-folder/README.txt'), 'not part of the course tree');
    await writeFile(path.join(dir, 'broken.gift'), BROKEN_GIFT);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes a folder laid out as courses/… and prints exactly one JSON array with --json', async () => {
    const { code, stdout } = await lectern(['run', 'course-folder', '--json', '--state-dir', 'state'], dir);
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(results.map((r) => [r.key, r.kind, r.status])).toEqual([
      ['courses/bio-101/lessons/week-1/intro.gift', 'quiz', 'published'],
      ['courses/bio-101/lessons/week-1/slides.pdf', 'pdf', 'published'],
    ]);
    for (const r of results) {
      expect(r).toMatchObject({ reasons: [], assetVersionId: expect.stringMatching(/^av-/), durationMs: expect.any(Number) });
      expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:4321\/courses\/bio-101\/lessons\/week-1\//);
    }
  });

  it('rejects a broken quiz with line and column, exit code 1, and a readable summary', async () => {
    const json = await lectern(['run', 'broken.gift', '--course', 'bio-101', '--lesson', 'week-1', '--json', '--state-dir', 'state'], dir);
    expect(json.code).toBe(1);
    const [result] = JSON.parse(json.stdout) as Array<{ status: string; reasons: Array<{ code: string; line?: number; column?: number; message: string }> }>;
    expect(result!.status).toBe('rejected');
    expect(result!.reasons.length).toBeGreaterThan(0);
    expect(result!.reasons[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });

    const human = await lectern(['run', 'broken.gift', '--course', 'bio-101', '--lesson', 'week-1', '--state-dir', 'state'], dir);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/rejected\s+courses\/bio-101\/lessons\/week-1\/broken\.gift/);
    expect(human.stdout).toMatch(/line \d+, column \d+: /);
    // Not a terminal: one line per upload as it finishes.
    expect(human.stderr).toMatch(/lectern: \[1\/1\] rejected courses\/bio-101\/lessons\/week-1\/broken\.gift/);
  });

  it('reports exactly what happened with status --local --json, and replay finds nothing to redrive', async () => {
    const { code, stdout } = await lectern(['status', '--local', '--json', '--state-dir', 'state'], dir);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      summary: Record<string, number>;
      courses: Array<{ course: string; lessons: Array<{ lesson: string; assets: Array<{ fileName: string; current?: { url?: string }; uploads: Array<{ status: string; reasons: Array<{ line?: number }> }> }> }> }>;
    };
    expect(report.summary).toEqual({ processing: 0, published: 2, rejected: 1, failed: 0 });
    const lesson = report.courses.find((c) => c.course === 'bio-101')!.lessons.find((l) => l.lesson === 'week-1')!;
    const byName = Object.fromEntries(lesson.assets.map((a) => [a.fileName, a]));
    expect(byName['intro.gift']!.current?.url).toMatch(/\/intro\.gift\/[0-9a-f]{16}\/quiz\.json$/);
    expect(byName['slides.pdf']!.current?.url).toMatch(/\/slides\.pdf$/);
    expect(byName['broken.gift']!.current).toBeUndefined();
    expect(byName['broken.gift']!.uploads[0]).toMatchObject({ status: 'rejected' });
    expect(byName['broken.gift']!.uploads[0]!.reasons[0]!.line).toEqual(expect.any(Number));

    const replay = await lectern(['replay', '--local', '--json', '--state-dir', 'state'], dir);
    expect(replay.code).toBe(0);
    const items = JSON.parse(replay.stdout) as Array<{ decision: { action: string }; outcome: string }>;
    expect(items.map((i) => [i.decision.action, i.outcome])).toEqual([['skip', 'skipped']]);
  });

  it('puts rejections first, counts the published uploads, says how to browse them; kind "unknown" when unclassified', async () => {
    await writeFile(path.join(dir, 'notes.docx'), 'not a format lectern takes');
    const mixed = await lectern(['run', 'course-folder', 'broken.gift', '--course', 'bio-101', '--lesson', 'week-1', '--state-dir', 'state'], dir);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toMatch(/^lectern: 3 upload\(s\) — 2 published, 1 rejected, 0 failed\n {2}✗ rejected {2}courses\/bio-101\/lessons\/week-1\/broken\.gift/);
    expect(mixed.stdout).toMatch(/ {2}✓ 2 published \(--verbose lists each with its URL\)/);
    expect(mixed.stdout).not.toMatch(/intro\.gift/);
    expect(mixed.stdout).toMatch(/browse it: npx lectern dev --state-dir state, then open http:\/\/127\.0\.0\.1:4321\//);
    const verbose = await lectern(['run', 'course-folder', '--state-dir', 'state', '--verbose'], dir);
    expect(verbose.stdout).toMatch(/✓ published\s+courses\/bio-101\/lessons\/week-1\/intro\.gift/);

    const unknown = await lectern(['run', 'notes.docx', '--course', 'bio-101', '--lesson', 'week-1', '--json', '--state-dir', 'state'], dir);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toEqual([expect.objectContaining({ key: 'courses/bio-101/lessons/week-1/notes.docx', kind: 'unknown', status: 'rejected' })]);
  });

  it('two runs started together on one state folder: one owns it, the other sends its uploads there', async () => {
    await mkdir(path.join(dir, 'pair'), { recursive: true });
    await writeFile(path.join(dir, 'pair/a.gift'), GOOD_GIFT);
    await writeFile(path.join(dir, 'pair/b.gift'), GOOD_GIFT.replace('::', '::B '));
    const [a, b] = await Promise.all([
      lectern(['run', 'pair/a.gift', '--course', 'pair', '--lesson', 'one', '--state-dir', 'shared'], dir),
      lectern(['run', 'pair/b.gift', '--course', 'pair', '--lesson', 'one', '--state-dir', 'shared'], dir),
    ]);
    expect([a.code, b.code, a.stderr + b.stderr]).toEqual([0, 0, expect.stringMatching(/is open in lectern run \(pid \d+\); sending the uploads there/)]);
    const status = await lectern(['status', '--local', '--json', '--state-dir', 'shared'], dir);
    expect(JSON.parse(status.stdout).summary).toEqual({ processing: 0, published: 2, rejected: 0, failed: 0 });
  });

  it('migrates a state folder that does not exist yet', async () => {
    const migrate = await lectern(['migrate', '--state-dir', 'fresh/nested'], dir);
    expect(migrate).toMatchObject({ code: 0, stderr: '' });
    // A new folder starts from the migrated image, or has the migrations applied.
    expect(migrate.stdout).toMatch(/^lectern: (applied \d{4}|database is up to date)/);
    expect(existsSync(path.join(dir, 'fresh/nested/db'))).toBe(true);
    expect((await lectern(['migrate', '--state-dir', 'fresh/nested'], dir)).stdout).toBe('lectern: database is up to date\n');
  });

  it('exits 2 with the command\'s own usage on mistakes', async () => {
    const unknown = await lectern(['status', '--local', '--jsn'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^lectern status: Unknown option "--jsn"\.\n\nlectern status \(--local \| --stage <stage>\)/);
    expect(unknown.stderr).not.toMatch(/Commands:/);
    expect((await lectern(['run'], dir)).code).toBe(2);
    expect((await lectern(['run', 'broken.gift'], dir)).code).toBe(2);
    expect((await lectern(['frobnicate'], dir)).code).toBe(2);
    const missing = await lectern(['run', 'nope.pdf', '--course', 'c', '--lesson', 'l'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No such file or folder: nope\.pdf/);
  });
});
