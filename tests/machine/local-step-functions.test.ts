/**
 * The Step Functions twin under simultaneous deliveries of one event: S3 delivers at least once,
 * so the same execution name can be started several times at once. One execution runs, and every
 * caller waiting on the name gets its outcome.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from '../../local/local-step-functions.js';

const definition = {
  StartAt: 'Echo',
  States: { Echo: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:echo', End: true } },
};

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
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
});
