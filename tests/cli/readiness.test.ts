/**
 * Readiness before class, as ops and educators meet it: a course whose next class is 20 minutes
 * away expects a PDF that was rejected → `lectern readiness --local` pages ops, naming the PDF and
 * its reason; a second run adds nothing; once a good PDF is published, an all-clear. Real
 * processes, a real state folder, the real pipeline.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTextPdf } from '../helpers/upload-fixtures.js';
import { lectern } from '../helpers/lectern-cli.js';

interface Notification {
  type?: string;
  alert?: string;
  kind?: string;
  audience?: string;
  severity?: string;
  course?: string;
  lesson?: string;
  missing?: string[];
  message?: string;
}

// Each test starts `lectern` processes: bounds for a busy two-core machine, not budgets.
describe('lectern readiness', { timeout: 300_000 }, () => {
  let dir: string;
  const readinessAlerts = async (): Promise<Notification[]> =>
    (await readFile(path.join(dir, 'state', 'notifications.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Notification)
      .filter((n) => n.type === 'readiness');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-readiness-'));
    const course = path.join(dir, 'course/courses/bio-101');
    await mkdir(path.join(course, 'lessons/week-1'), { recursive: true });
    const classAt = new Date(Date.now() + 20 * 60_000).toISOString();
    await writeFile(
      path.join(course, 'course.yaml'),
      `title: Biology 101\nlessons:\n  - slug: week-1\n    title: Cells\n    scheduledAt: ${classAt}\n    expects: [slides.pdf, { file: reading.pdf, optional: true }]\n`,
    );
    await writeFile(path.join(course, 'lessons/week-1/slides.pdf'), await makeTextPdf({ title: 'Cells', javascript: 'app.alert("hi")' }));
    await writeFile(path.join(dir, 'slides.pdf'), await makeTextPdf({ title: 'Cells' }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pages ops about a rejected PDF 20 minutes before class, once, then sends an all-clear once it is fixed', async () => {
    const first = await lectern(['run', 'course', '--json', '--state-dir', 'state'], dir);
    const results = JSON.parse(first.stdout) as Array<{ key: string; status: string; reasons: Array<{ code: string; message: string }> }>;
    const rejected = results.find((r) => r.key.endsWith('slides.pdf'))!;
    expect(rejected.status).toBe('rejected');
    const reasonCode = rejected.reasons[0]!.code;

    const sweep = await lectern(['readiness', '--local', '--json', '--state-dir', 'state'], dir);
    expect(sweep.code, sweep.stderr).toBe(1); // a class is at risk
    const report = JSON.parse(sweep.stdout) as { readiness: Array<{ course: string; lesson: string; state: string; missing: Array<{ file: string; status: string; optional: boolean }> }>; sent: Array<{ alert: string; audience: string }> };
    expect(report.readiness).toEqual([
      expect.objectContaining({
        course: 'bio-101',
        lesson: 'week-1',
        state: 'at-risk',
        missing: [expect.objectContaining({ file: 'slides.pdf', status: 'rejected', optional: false }), expect.objectContaining({ file: 'reading.pdf', status: 'not-uploaded', optional: true })],
      }),
    ]);
    expect(report.sent).toEqual([expect.objectContaining({ alert: 'T-30m', audience: 'ops', severity: 'critical' })]);
    let alerts = await readinessAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'at-risk', audience: 'ops', severity: 'critical', course: 'bio-101', lesson: 'week-1' });
    expect(alerts[0]!.missing![0]).toContain('slides.pdf');
    expect(alerts[0]!.missing![0]).toContain('rejected');
    expect(alerts[0]!.missing![0]).toContain(rejected.reasons[0]!.message);
    expect(reasonCode).toMatch(/^pdf\./);

    // Twice: nothing new.
    const again = await lectern(['readiness', '--local', '--state-dir', 'state'], dir);
    expect(again.stdout).toContain('no new alerts');
    expect(again.stdout).toMatch(/at-risk .*bio-101\/week-1/);
    expect(await readinessAlerts()).toHaveLength(1);

    // The status shows the class first, with what is missing.
    const status = await lectern(['status', '--local', '--json', '--state-dir', 'state'], dir);
    expect(JSON.parse(status.stdout).readiness).toEqual([expect.objectContaining({ lesson: 'week-1', state: 'at-risk' })]);

    // The educator uploads a good PDF: ready, and one all-clear to ops.
    const fixed = await lectern(['run', 'slides.pdf', '--course', 'bio-101', '--lesson', 'week-1', '--state-dir', 'state'], dir);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const clear = await lectern(['readiness', '--local', '--json', '--state-dir', 'state'], dir);
    expect(clear.code, clear.stderr).toBe(0);
    expect(JSON.parse(clear.stdout).sent).toEqual([expect.objectContaining({ alert: 'all-clear@T-30m', audience: 'ops', kind: 'all-clear' })]);
    alerts = await readinessAlerts();
    expect(alerts.map((a) => a.kind)).toEqual(['at-risk', 'all-clear']);
    expect((await lectern(['readiness', '--local', '--json', '--state-dir', 'state'], dir)).stdout).toContain('"sent": []');
    expect(await readinessAlerts()).toHaveLength(2);
  });
});
