/**
 * The Step Functions twin under simultaneous deliveries of one event: S3 delivers at least once,
 * so the same execution name can be started several times at once. One execution runs, and every
 * caller waiting on the name gets its outcome. And a burst: a bounded number of executions run at
 * once, the rest wait their turn (before any step of theirs starts), and one waiting for a task
 * token gives its turn to the others.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from '../../local/local-step-functions.js';
import { LocalTaskCallbacks } from '../../local/local-task-callbacks.js';
import { ExecutionRecords, newRecord, type ExecutionRecord } from '../../local/execution-records.js';

const definition = {
  StartAt: 'Echo',
  States: { Echo: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:echo', End: true } },
};

const dirs: string[] = [];
afterEach(async () => {
  // The records' folder and, beside it, the index of the running ones.
  for (const dir of dirs.splice(0)) for (const d of [dir, `${dir}-running`]) await rm(d, { recursive: true, force: true, maxRetries: 5 });
});

describe('the local Step Functions twin', () => {
  it('runs one execution for simultaneous starts of one name, and each caller gets its outcome', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lectern-sfn-'));
    dirs.push(dir);
    let invocations = 0;
    const orchestrator = new LocalStepFunctions({
      stateMachineName: 'echo',
      definition,
      dir,
      handlers: { Echo: async (input: unknown) => ({ invocation: ++invocations, input }) },
    });
    const runs = await Promise.all([1, 2, 3, 4].map(() => orchestrator.run('same-name', { n: 1 })));
    expect(runs.filter((r) => r.started)).toHaveLength(1);
    for (const { record } of runs) expect(record).toMatchObject({ status: 'SUCCEEDED', output: { invocation: 1, input: { n: 1 } } });
    expect(invocations).toBe(1);
    await orchestrator.drain();
  });

  it('runs at most maxRunning executions at once; the others wait their turn, and every one succeeds', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lectern-sfn-'));
    dirs.push(dir);
    let running = 0;
    let peak = 0;
    const orchestrator = new LocalStepFunctions({
      stateMachineName: 'echo',
      definition,
      dir,
      maxRunning: 3,
      handlers: {
        Echo: async (input: unknown) => {
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setTimeout(resolve, 20));
          running--;
          return input;
        },
      },
    });
    const runs = await Promise.all(Array.from({ length: 30 }, (_, i) => orchestrator.run(`burst-${i}`, { i })));
    expect(runs.map((r) => r.record.status)).toEqual(Array(30).fill('SUCCEEDED'));
    expect(peak).toBe(3);
    await orchestrator.drain();
  }, 120_000);

  it('an execution waiting for a task token gives its turn away: with one turn, another runs meanwhile', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lectern-sfn-'));
    dirs.push(dir);
    const callbacks = new LocalTaskCallbacks();
    const tokens: string[] = [];
    const orchestrator = new LocalStepFunctions({
      stateMachineName: 'callback',
      definition: {
        StartAt: 'Route',
        States: {
          Route: { Type: 'Choice', Choices: [{ Variable: '$.wait', BooleanEquals: true, Next: 'Submit' }], Default: 'Echo' },
          Submit: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'submit', Payload: { 'taskToken.$': '$$.Task.Token' } },
            TimeoutSeconds: 600,
            End: true,
          },
          Echo: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:echo', End: true },
        },
      },
      dir,
      maxRunning: 1,
      callbacks,
      handlers: {
        Submit: async (payload: { taskToken: string }) => {
          tokens.push(payload.taskToken);
          return {};
        },
        Echo: async (input: unknown) => input,
      },
    });
    const waiting = orchestrator.run('waits', { wait: true });
    await expect.poll(() => tokens.length, { timeout: 60_000 }).toBe(1);
    // Had the waiting execution kept the only turn, this one would never start, nor answer it.
    const other = await orchestrator.run('other', { wait: false });
    expect(other.record.status).toBe('SUCCEEDED');
    await callbacks.sendTaskSuccess(tokens[0] as string, { done: true });
    expect((await waiting).record).toMatchObject({ status: 'SUCCEEDED', output: { done: true } });
    await orchestrator.drain();
  }, 120_000);

  it('on start, marks the executions of a process that died ABORTED, reading only the head of the finished ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lectern-sfn-'));
    dirs.push(dir);
    mkdirSync(dir, { recursive: true });
    // A process that has exited: its pid names no live process.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const record = (name: string, status: ExecutionRecord['status'], input: unknown = {}): ExecutionRecord => ({
      ...newRecord(name, `arn:aws:states:local:000000000000:execution:echo:${name}`, 'echo', input),
      status,
      ...(status === 'RUNNING' ? { owner: { pid: deadPid, host: hostname() } } : { stopDate: new Date().toISOString() }),
    });
    const write = (r: ExecutionRecord, text = JSON.stringify(r)) => writeFileSync(path.join(dir, `${r.name}.json`), text);
    write(record('crashed', 'RUNNING'));
    // Pretty-printed (by hand, say): its head does not say, so it is read whole.
    write(record('crashed-pretty', 'RUNNING'), JSON.stringify(record('crashed-pretty', 'RUNNING'), null, 2));
    // Finished, with "RUNNING" in its input: only the record's own status counts.
    write(record('done', 'SUCCEEDED', { note: '"status":"RUNNING"' }));
    // Finished, and its body damaged after the head: recovery has no reason to read it.
    write(record('damaged', 'FAILED'), `${JSON.stringify(record('damaged', 'FAILED')).slice(0, 300)}…truncated`);
    const orchestrator = new LocalStepFunctions({ stateMachineName: 'echo', definition, dir, handlers: { Echo: async (input: unknown) => input } });
    expect((await orchestrator.recoverInterrupted()).sort()).toEqual(['crashed', 'crashed-pretty']);
    for (const name of ['crashed', 'crashed-pretty']) {
      expect(await orchestrator.describe(name)).toMatchObject({ status: 'ABORTED', error: 'ExecutionInterrupted' });
    }
    expect(await orchestrator.describe('done')).toMatchObject({ status: 'SUCCEEDED' });
    // A second start finds nothing left to recover.
    expect(await orchestrator.recoverInterrupted()).toEqual([]);
  });

  it('once a folder is indexed, a start opens only the executions that were running, whatever the history', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lectern-sfn-'));
    dirs.push(dir);
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const start = () => new LocalStepFunctions({ stateMachineName: 'echo', definition, dir, handlers: { Echo: async (input: unknown) => input } });
    const first = start();
    expect(await first.recoverInterrupted()).toEqual([]);
    for (const name of ['done-1', 'done-2']) expect((await first.run(name, {})).record.status).toBe('SUCCEEDED');
    // History a start has no reason to open: a finished record damaged by hand, head and all.
    // (A start that read every record's head would find no status there, read it whole and fail.)
    writeFileSync(path.join(dir, 'done-1.json'), 'damaged by hand');
    const records = new ExecutionRecords(dir);
    const running = (name: string): ExecutionRecord => ({
      ...newRecord(name, `arn:aws:states:local:000000000000:execution:echo:${name}`, 'echo', {}),
      owner: { pid: deadPid, host: hostname() },
    });
    // A process killed inside an execution: its record RUNNING.
    await records.save(running('crashed'));
    // A process killed after it saved its execution ended but before it unmarked it as running.
    await records.save(running('ended'));
    writeFileSync(path.join(dir, 'ended.json'), JSON.stringify({ ...running('ended'), status: 'SUCCEEDED', stopDate: new Date().toISOString() }));

    const second = start();
    expect(await second.recoverInterrupted()).toEqual(['crashed']);
    expect(await second.describe('crashed')).toMatchObject({ status: 'ABORTED', error: 'ExecutionInterrupted' });
    expect(await second.describe('ended')).toMatchObject({ status: 'SUCCEEDED' });
    expect(await start().recoverInterrupted()).toEqual([]);
    // Recovered, it is replayable as any aborted execution.
    expect(await second.redriveExecution('crashed')).toMatchObject({ redriveCount: 1, resumedAt: 'Echo' });
    expect((await second.wait('crashed')).status).toBe('SUCCEEDED');
    expect(await start().recoverInterrupted()).toEqual([]);
  });
});
