/**
 * The lectern process itself killed mid-run (SIGKILL while executions are inside their tasks: a
 * machine reboot, an OOM kill, Ctrl-\): on the next start the interrupted executions are found
 * (RUNNING, but their process is gone), marked ABORTED and so listed by `lectern replay`, which
 * brings them back from the step they were in; uploads never started are processed as new. In
 * the end every upload is published once, with nothing half-written.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalExecutionControl } from '../../local/local-execution-control.js';
import { openLocalStack } from '../../local/local-stack.js';
import { sourceOf } from '../../shared/contract/asset-version.js';
import { replayExecutions } from '../../shared/use-cases/replay-executions.js';
import { pool } from '../../bench/lib/uploads.js';
import { checkConsistency } from './support.js';

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
const COUNT = 12;

/** Starts the child and SIGKILLs it once `killAfter` states have been entered. */
async function runAndKill(stateDir: string, killAfter: number): Promise<{ entered: string[]; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, stateDir, String(COUNT)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const entered: string[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    if (!line.startsWith('entered ')) return;
    entered.push(line.slice('entered '.length));
    if (entered.length === killAfter) child.kill('SIGKILL');
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  if (signal !== 'SIGKILL') throw new Error(`the child ended on its own before it was killed:\n${stderr}`);
  return { entered, signal };
}

// A child process, a restart and twelve uploads: a bound for a busy two-core machine, not a budget.
describe('the lectern process killed mid-run', { timeout: 600_000 }, () => {
  it('finds the interrupted executions on restart; replay and a rerun publish everything once', async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-crash-'));
    try {
      const { entered } = await runAndKill(stateDir, 14);
      const interruptedStates = new Set(entered.map((e) => e.split(' ')[0]));
      expect(interruptedStates.size).toBeGreaterThan(1);

      const stack = await openLocalStack({ stateDir, retryIntervalMs: 1 });
      try {
        const executions = await stack.orchestrator.list();
        expect(executions.length).toBeGreaterThan(0);
        expect(executions.filter((e) => e.status === 'RUNNING'), 'no execution is left RUNNING without a process').toEqual([]);
        const interrupted = executions.filter((e) => e.status === 'ABORTED');
        expect(interrupted.length).toBeGreaterThan(0);

        const items = await replayExecutions(new LocalExecutionControl(stack.orchestrator));
        expect(items.filter((i) => i.outcome === 'redriven').map((i) => i.name).sort()).toEqual(interrupted.map((e) => e.name).sort());
        // the uploads the killed process never started: processed as new (what `lectern dev` does at start)
        const keys = await stack.uploads.list('courses/');
        expect(keys).toHaveLength(COUNT);
        const results = await pool(keys, 4, async (key) => {
          const head = (await stack.uploads.head(key))!;
          return stack.process(sourceOf(stack.uploads.bucket, head)); // the event of the object as it is: its version too
        });
        expect(results.filter((r) => r.status !== 'published').map((r) => `${r.key}: ${r.status} ${JSON.stringify(r.reasons)}`)).toEqual([]);
        const { problems, counts } = await checkConsistency(stack);
        expect(problems).toEqual([]);
        expect(counts).toEqual({ published: COUNT });
      } finally {
        await stack.close();
      }
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
