/**
 * What ops type after an incident, as subprocesses on a real state folder:
 * - `lectern replay` exits 1 when a redriven execution fails again (the cause is still there) and
 *   says so per execution; 0 once the cause is fixed and it published. `--dry-run` lists and
 *   changes nothing (execution records byte for byte, database rows).
 * - `lectern status` shows an upload stuck in processing — its execution ended without updating the
 *   record — as "stuck for N min" with the commands to run, and lists files never processed;
 *   `lectern reconcile --local`, with no threshold given, records the first as failed at once and
 *   flags the second; then `lectern replay` publishes.
 * The persistent cause: a plain file where the lesson's published folder must go (PublishAsset
 * cannot create it), removed to "fix" it.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStack } from '../../local/local-stack.js';
import { DependencyUnavailableError } from '../../shared/contract/errors.js';
import { GOOD_GIFT, text } from '../helpers/upload-fixtures.js';
import { lectern } from '../helpers/lectern-cli.js';


/** Every execution record of the state folder, as bytes on disk. */
async function executionFiles(stateDir: string): Promise<Record<string, string>> {
  const dir = path.join(stateDir, 'executions');
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(path.join(dir, name), 'utf8');
  return files;
}

describe('ops recovery through the CLI', { timeout: 300_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-ops-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replay exits 1 while the cause lasts and 0 once it published; --dry-run changes nothing', async () => {
    const work = path.join(dir, 'exit-codes');
    await mkdir(path.join(work, 'state/published/courses/ops/lessons'), { recursive: true });
    const blocker = path.join(work, 'state/published/courses/ops/lessons/week-1');
    await writeFile(blocker, 'a file where the lesson folder goes');
    await writeFile(path.join(work, 'check.gift'), GOOD_GIFT);

    const first = await lectern(['run', 'check.gift', '--course', 'ops', '--lesson', 'week-1', '--state-dir', 'state'], work);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/failed\s+courses\/ops\/lessons\/week-1\/check\.gift/);

    const before = await executionFiles(path.join(work, 'state'));
    const dry = await lectern(['replay', '--local', '--state-dir', 'state', '--dry-run'], work);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('lectern: 1 unsuccessful execution(s) (dry run: nothing changed)');
    expect(dry.stdout).toMatch(/redrive: resumes at MarkFailed\n/); // no "→ redriven"
    expect(await executionFiles(path.join(work, 'state'))).toEqual(before);

    const again = await lectern(['replay', '--local', '--state-dir', 'state'], work);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/→ redriven\n\s+ended FAILED: not published — PublishAsset failed \(Error: ENOTDIR/);
    expect(again.stdout).not.toContain('"trace"'); // the cause, not the serialised error
    expect(again.stdout).toContain('lectern: 0 of 1 replayed execution(s) published');
    const json = await lectern(['replay', '--local', '--state-dir', 'state', '--json'], work);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ outcome: 'redriven', final: expect.objectContaining({ status: 'FAILED', published: false }) })]);

    await rm(blocker); // the cause is fixed
    const fixed = await lectern(['replay', '--local', '--state-dir', 'state'], work);
    expect(fixed.stdout).toMatch(/✓ av-[0-9a-f]{32}: SUCCEEDED after \d+ s/);
    expect(fixed.stdout).toContain('ended SUCCEEDED: published');
    expect(fixed.stdout).toContain('lectern: 1 of 1 replayed execution(s) published');
    expect(fixed.code).toBe(0);
    const status = JSON.parse((await lectern(['status', '--local', '--state-dir', 'state', '--json'], work)).stdout) as { summary: Record<string, number> };
    expect(status.summary).toEqual({ processing: 0, published: 1, rejected: 0, failed: 0 });
    // Nothing left to replay: exit 0.
    expect((await lectern(['replay', '--local', '--state-dir', 'state'], work)).code).toBe(0);
  });

  it('status says what is stuck and what was never processed; reconcile (no threshold) repairs at once; replay publishes', async () => {
    const stateDir = path.join(dir, 'stuck/state');
    // The database was "down" for PublishAsset and for MarkFailed: the execution failed, the record still says processing.
    const broken = new Set(['PublishAsset', 'MarkFailed']);
    const stack = await openLocalStack({ stateDir, retryIntervalMs: 1, faults: (state) => (broken.has(state) ? new DependencyUnavailableError(`${state}: injected outage`) : undefined) });
    let stuckId: string;
    try {
      stuckId = (await stack.upload('courses/ops/lessons/week-2/stuck.gift', text(GOOD_GIFT))).assetVersionId;
    } finally {
      await stack.close();
    }
    // Dropped into the upload folder while nothing ran: no record, no execution.
    await mkdir(path.join(stateDir, 'uploads/courses/ops/lessons/week-2'), { recursive: true });
    await writeFile(path.join(stateDir, 'uploads/courses/ops/lessons/week-2/dropped.gift'), GOOD_GIFT);
    const cwd = path.dirname(stateDir);

    const status = await lectern(['status', '--local', '--state-dir', 'state'], cwd);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('lectern: 0 published, 1 processing (1 stuck), 0 rejected, 0 failed, 1 never processed');
    expect(status.stdout).toMatch(new RegExp(`processing — stuck for \\d+ min  ${stuckId}`));
    expect(status.stdout).toContain('Execution FAILED at MarkFailed (DependencyUnavailableError). — run lectern reconcile --local --state-dir state, then lectern replay --local --state-dir state');
    expect(status.stdout).toMatch(/never processed \(in the upload folder, no record\):\n {2}courses\/ops\/lessons\/week-2\/dropped\.gift {2}since \d{4}-/);
    const json = JSON.parse((await lectern(['status', '--local', '--state-dir', 'state', '--json'], cwd)).stdout) as {
      courses: Array<{ lessons: Array<{ assets: Array<{ fileName: string; uploads: Array<{ stuck?: { minutes: number; fix: string } }> }> }> }>;
      unrecorded: Array<{ key: string }>;
    };
    expect(json.courses[0]!.lessons[0]!.assets[0]!.uploads[0]!.stuck).toMatchObject({ minutes: expect.any(Number), fix: expect.stringContaining('lectern reconcile --local') });
    expect(json.unrecorded.map((u) => u.key)).toEqual(['courses/ops/lessons/week-2/dropped.gift']);

    const reconciled = await lectern(['reconcile', '--local', '--state-dir', 'state'], cwd);
    expect(reconciled.code).toBe(0);
    expect(reconciled.stdout).toContain('lectern: 2 finding(s)');
    expect(reconciled.stdout).toMatch(/marked-failed +courses\/ops\/lessons\/week-2\/stuck\.gift {2}execution-ended-unrecorded/);
    expect(reconciled.stdout).toMatch(/flagged +courses\/ops\/lessons\/week-2\/dropped\.gift {2}never-processed: In the upload folder, never processed/);
    expect(reconciled.stdout).toContain('lectern: replay what was marked failed: lectern replay --local --state-dir state');

    const replay = await lectern(['replay', '--local', '--state-dir', 'state'], cwd);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('lectern: 1 of 1 replayed execution(s) published');
    const after = await lectern(['status', '--local', '--state-dir', 'state'], cwd);
    expect(after.stdout).toContain('lectern: 1 published, 0 processing, 0 rejected, 0 failed, 1 never processed');
    expect(after.stdout).not.toContain('stuck for');
  });
});
