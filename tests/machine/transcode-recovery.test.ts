/**
 * Transcode failures ops can recover from, through the real state machine with the local twins:
 * - a lasting transcoder outage uses up the run's job budget; once the cause is fixed, one replay
 *   is a new run with a new budget and publishes;
 * - the lectern process SIGKILLed mid-transcode: its job died with it; one `lectern replay` finds
 *   the job lost (its runner is gone), marks it LOST and transcodes again at once — in about one
 *   transcode's time, not after the 15-minute heartbeat (the test's own timeout bounds it).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalExecutionControl } from '../../local/local-execution-control.js';
import { openLocalStack } from '../../local/local-stack.js';
import { replayExecutions } from '../../shared/use-cases/replay-executions.js';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { ffmpegAvailable, makeMedia, requireFfmpeg } from '../helpers/make-media.js';
import { LECTERN_BIN, lectern } from '../helpers/lectern-cli.js';

const LESSON = 'courses/biology-101/lessons/mitosis';
const dialect = DIALECTS[DIALECTS.length - 1]!;
const OUTAGE = { errorCode: 1999, errorMessage: 'An unknown error occurred (the transcoder is down)' };

/** Polls `check` every 100 ms until it returns a value; fails after `bound` ms (a generous upper bound, not a timing). */
async function until<T>(what: string, check: () => Promise<T | undefined>, bound = 300_000): Promise<T> {
  const deadline = Date.now() + bound;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.runIf(ffmpegAvailable || requireFfmpeg())('transcode failures ops can recover from', () => {
  describe(`a lasting transcoder outage, then replay (${dialect.name})`, () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await openTestStack(dialect, {}, { callbackTimeouts: { SubmitTranscode: { heartbeatMs: 6000, timeoutMs: 30_000 } }, waitMs: 50 });
    });
    afterAll(async () => {
      await stack?.dispose();
    });

    it('fails after the run’s four jobs; once fixed, one replay publishes with a fresh budget', async () => {
      stack.transcoder.failNextJobs.push(...Array.from({ length: 8 }, () => ({ ...OUTAGE })));
      const failed = await stack.upload(`${LESSON}/outage.mp4`, await makeMedia({ duration: 1, width: 160, height: 120 }));
      expect(failed.status).toBe('failed');
      expect(failed.reasons[0]!.message).toContain('4 transcode jobs for this upload failed in this run');
      expect(failed.reasons[0]!.message).toContain('Fix the cause, then replay');
      expect(failed.reasons[0]!.message).not.toContain('a new job is submitted');
      const jobs = () => stack.db.selectFrom('transcode_jobs').select(['attempt', 'status', 'run']).where('asset_version_id', '=', failed.assetVersionId).orderBy('attempt').execute();
      expect((await jobs()).map((j) => j.status)).toEqual(['ERROR', 'ERROR', 'ERROR', 'ERROR']);

      // Replayed while the outage lasts: the replay says where it ended — failed, not published.
      const early = await replayExecutions(new LocalExecutionControl(stack.orchestrator), { wait: { pollMs: 50 } });
      expect(early.map((i) => [i.outcome, i.final?.status, i.final?.published])).toEqual([['redriven', 'FAILED', false]]);

      stack.transcoder.failNextJobs.length = 0; // the cause is fixed
      const items = await replayExecutions(new LocalExecutionControl(stack.orchestrator), { wait: { pollMs: 50 } });
      expect(items.map((i) => [i.name, i.outcome, i.final?.status, i.final?.published])).toEqual([[failed.assetVersionId, 'redriven', 'SUCCEEDED', true]]);
      const after = await stack.result(failed.assetVersionId, `${LESSON}/outage.mp4`);
      expect(after).toMatchObject({ status: 'published', kind: 'video' });
      const rows = await jobs();
      expect(rows.map((j) => j.status)).toEqual([...Array(8).fill('ERROR'), 'COMPLETE']);
      expect(new Set(rows.map((j) => j.run)).size).toBe(3); // each redrive is a run of its own, with its own 4 attempts
    });
  });

  describe('the lectern process SIGKILLed mid-transcode', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'lectern-sigkill-'));
      // Long enough that the kill lands while ffmpeg works (the test waits for PROGRESSING).
      await writeFile(path.join(dir, 'lecture.mp4'), await makeMedia({ duration: 30, width: 320, height: 240 }));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('one replay finds the job lost and publishes in about one transcode’s time', { timeout: 600_000 }, async () => {
      const child = spawn(process.execPath, [LECTERN_BIN, 'run', 'lecture.mp4', '--course', 'bio', '--lesson', 'cells', '--state-dir', 'state'], { cwd: dir, detached: true, stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      const jobsDir = path.join(dir, 'state/transcoder');
      await until('the transcode to be running', async () => {
        for (const file of (await readdir(jobsDir).catch(() => [])).filter((name) => name.endsWith('.json'))) {
          const record = JSON.parse(await readFile(path.join(jobsDir, file), 'utf8')) as { state: { status: string } };
          if (record.state.status === 'PROGRESSING') return true;
        }
        return undefined;
      });
      process.kill(-child.pid!, 'SIGKILL'); // the process and its ffmpeg, as a crash or OOM kill would
      expect(await exited).toBe('SIGKILL');

      // A dry run changes nothing: the interrupted execution stays as the killed process left it.
      const executionsDir = path.join(dir, 'state/executions');
      const [executionFile] = await readdir(executionsDir);
      const before = await readFile(path.join(executionsDir, executionFile!), 'utf8');
      const dry = await lectern(['replay', '--local', '--state-dir', 'state', '--dry-run', '--json'], dir);
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toEqual([]);
      expect(await readFile(path.join(executionsDir, executionFile!), 'utf8')).toBe(before);

      const replay = await lectern(['replay', '--local', '--state-dir', 'state', '--json'], dir);
      expect(replay.stderr).toBe('');
      expect(replay.code).toBe(0);
      expect(JSON.parse(replay.stdout)).toEqual([expect.objectContaining({ status: 'ABORTED', outcome: 'redriven', final: expect.objectContaining({ status: 'SUCCEEDED', published: true }) })]);

      const stack = await openLocalStack({ stateDir: path.join(dir, 'state') });
      try {
        const rows = await stack.db.selectFrom('transcode_jobs').select(['attempt', 'status', 'error_message']).orderBy('attempt').execute();
        expect(rows.map((r) => [r.attempt, r.status])).toEqual([[1, 'LOST'], [2, 'COMPLETE']]);
        expect(rows[0]!.error_message).toContain('no longer exists');
        const manifest = JSON.parse(new TextDecoder().decode((await stack.published.get('courses/bio/lessons/cells/manifest.json'))!));
        expect(manifest.assets['lecture.mp4']).toMatchObject({ kind: 'video' });
        const [record] = await stack.orchestrator.list();
        expect(record).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
        // No heartbeat wait and no poll: SubmitTranscode saw the job was gone.
        expect(record!.history.filter((e) => e.type === 'StateEntered').map((e) => e.state)).not.toContain('PollTranscode');
      } finally {
        await stack.close();
      }
    });
  });
});
