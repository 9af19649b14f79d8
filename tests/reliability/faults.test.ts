/**
 * Faults mid-run: PgBouncer killed and restarted, database backends terminated in the middle of a
 * transaction, the object store (the S3 adapter against s3rver) stopped and started again, and a
 * handler crashing mid-invocation. Every upload must end published — retried to success, or
 * recorded as failed and brought back by `replayExecutions` — with one row, one set of outputs,
 * a manifest entry and a report each, and nothing half-written (tests/reliability/support.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalExecutionControl } from '../../local/local-execution-control.js';
import { openLocalStack, type LocalStack, type LocalStackOptions, type UploadResult } from '../../local/local-stack.js';
import type { HistoryEvent } from '../../local/execution-records.js';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.js';
import { assetVersionId, type SourceObject } from '../../shared/contract/asset-version.js';
import type { ObjectStore, PutOptions } from '../../shared/ports/object-store.js';
import { replayExecutions } from '../../shared/use-cases/replay-executions.js';
import { mixedUploads, pool, type GeneratedUpload } from '../../bench/lib/uploads.js';
import { DIALECTS } from '../helpers/dialects.js';
import { wrapStore } from '../helpers/wrapped-store.js';
import { adminQuery, pgbouncerUnavailable, POSTGRES, privatePgbouncer, restartableS3rver, scratchDatabase } from './services.js';
import { checkConsistency } from './support.js';

const CI = process.env.CI === 'true';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface FaultStack {
  stack: LocalStack;
  events: HistoryEvent[];
  dispose(): Promise<void>;
}

async function openFaultStack(options: Omit<LocalStackOptions, 'stateDir'> & { onEntered?: (count: number) => void }): Promise<FaultStack> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-faults-'));
  const events: HistoryEvent[] = [];
  let entered = 0;
  const { onEntered, ...rest } = options;
  const stack = await openLocalStack({
    stateDir,
    ...rest,
    onEvent: (_name, event) => {
      events.push(event);
      if (event.type === 'StateEntered') onEntered?.(++entered);
    },
  });
  return {
    stack,
    events,
    async dispose() {
      await stack.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Puts the uploads in the bucket, then runs them as their S3 events would (the event carries the
 * object's ETag and size: nothing is read from the store to start an execution, so an outage that
 * begins mid-run cannot stop the rest from starting).
 */
async function processAll(stack: LocalStack, uploads: GeneratedUpload[], concurrency = 4): Promise<UploadResult[]> {
  const sources: SourceObject[] = [];
  for (const u of uploads) {
    await stack.uploads.put(u.key, u.bytes);
    const head = (await stack.uploads.head(u.key))!;
    sources.push({ bucket: stack.uploads.bucket, key: u.key, etag: head.etag, size: head.size, eventTime: head.lastModified.toISOString() });
  }
  return pool(sources, concurrency, (source) => stack.process(source));
}

/** After the fault: replay what failed, then every upload is published and everything adds up. */
async function expectAllPublishedAfterReplay(stack: LocalStack, uploads: GeneratedUpload[]): Promise<{ failedBeforeReplay: number }> {
  await stack.orchestrator.drain();
  const ids = await Promise.all(
    uploads.map(async (u) => {
      const head = (await stack.uploads.head(u.key))!;
      return assetVersionId({ bucket: stack.uploads.bucket, key: u.key, etag: head.etag });
    }),
  );
  const before = await Promise.all(ids.map((id, i) => stack.result(id, uploads[i]!.key)));
  const failedBeforeReplay = before.filter((r) => r.status === 'failed').length;
  const items = await replayExecutions(new LocalExecutionControl(stack.orchestrator));
  expect(items.filter((i) => i.outcome === 'error'), JSON.stringify(items)).toEqual([]);
  await stack.orchestrator.drain();
  const after = await Promise.all(ids.map((id, i) => stack.result(id, uploads[i]!.key)));
  expect(after.filter((r) => r.status !== 'published').map((r) => `${r.key}: ${r.status} ${JSON.stringify(r.reasons)}`)).toEqual([]);
  const { problems, counts } = await checkConsistency(stack, { expectedIds: ids });
  expect(problems).toEqual([]);
  expect(counts).toEqual({ published: uploads.length });
  // a second replay finds nothing to do
  expect((await replayExecutions(new LocalExecutionControl(stack.orchestrator))).filter((i) => i.outcome !== 'skipped')).toEqual([]);
  return { failedBeforeReplay };
}

const bouncerProblem = pgbouncerUnavailable();
const postgresUp = DIALECTS.some((d) => d.name === 'postgres');

describe.runIf(CI || (bouncerProblem === undefined && postgresUp))('PgBouncer killed mid-run and restarted', () => {
  it('retries through the outage or records failures that replay brings back; nothing lost', async () => {
    const bouncer = await privatePgbouncer();
    const database = await scratchDatabase();
    let outage: Promise<void> | undefined;
    const uploads = await mixedUploads(12, { prefix: 'bouncer', perLesson: 3 });
    const metOutage = (e: HistoryEvent) => e.type === 'StateRetried' || Boolean(e.error?.includes('DependencyUnavailable'));
    const env: FaultStack = await openFaultStack({
      databaseUrl: bouncer.url(database.name),
      retryIntervalMs: 300, // 5 attempts span ~1.5 s: some steps ride out the outage, some do not
      onEntered: (count) => {
        if (count !== 10) return;
        outage = (async () => {
          await bouncer.kill();
          const from = env.events.length;
          await sleep(1500);
          // Down until a step has met the outage: on a busy machine none may reach the database
          // within 1.5 s, and an outage nobody meets tests nothing (a bound, not a budget).
          for (const until = Date.now() + 120_000; !env.events.slice(from).some(metOutage) && Date.now() < until; ) await sleep(100);
          await bouncer.start();
        })();
      },
    });
    try {
      await processAll(env.stack, uploads);
      await outage;
      expect(outage, 'the outage happened mid-run').toBeDefined();
      const retried = env.events.filter(metOutage).length;
      const { failedBeforeReplay } = await expectAllPublishedAfterReplay(env.stack, uploads);
      expect(retried + failedBeforeReplay, 'some step met the outage').toBeGreaterThan(0);
    } finally {
      await env.dispose();
      await bouncer.dispose();
      await database.drop();
    }
  });
});

describe.runIf(CI || (bouncerProblem === undefined && postgresUp))('the database down when an outcome is read', () => {
  it('reports a finished upload from its execution record instead of throwing', async () => {
    const bouncer = await privatePgbouncer();
    const database = await scratchDatabase();
    const env = await openFaultStack({ databaseUrl: bouncer.url(database.name), retryIntervalMs: 1 });
    try {
      const [upload] = await mixedUploads(1, { prefix: 'outcome' });
      const published = await env.stack.upload(upload!.key, upload!.bytes);
      expect(published.status).toBe('published');
      await bouncer.kill();
      // `lectern run` and `lectern dev` read the outcome here; with the database gone it used to throw
      const again = await env.stack.result(published.assetVersionId, upload!.key);
      expect(again).toMatchObject({ status: 'published', url: published.url, kind: 'pdf' });
    } finally {
      await env.dispose();
      await bouncer.dispose();
      await database.drop();
    }
  });
});

const serverDialects = DIALECTS.filter((d) => d.server);
describe.runIf(serverDialects.length > 0)('database backends terminated mid-transaction', () => {
  it.each(serverDialects.map((d) => [d.name, d.server!] as const))('through %s: the transaction rolls back and is retried', async (_name, server) => {
    const database = await scratchDatabase();
    const uploads = await mixedUploads(8, { prefix: 'terminate', perLesson: 2 });
    const env = await openFaultStack({ databaseUrl: `${server}/${database.name}`, retryIntervalMs: 50 });
    // Hold a lock RecordPublished's transaction needs: each one stops half-way (course and lesson
    // upserted, the asset not yet), and is terminated there.
    const locker = new pg.Client({ connectionString: `${POSTGRES}/${database.name}` });
    try {
      await locker.connect();
      await locker.query('begin');
      await locker.query('lock table assets in access exclusive mode');
      const running = processAll(env.stack, uploads);
      let waiting: Array<{ pid: number }> = [];
      for (let i = 0; i < 300 && waiting.length < 2; i++) {
        await sleep(50);
        waiting = await adminQuery<{ pid: number }>(
          "select pid from pg_stat_activity where datname = $1 and pid <> $2 and wait_event_type = 'Lock' and xact_start is not null",
          [database.name, (locker as unknown as { processID: number }).processID],
        );
      }
      expect(waiting.length, 'transactions are waiting half-way').toBeGreaterThan(0);
      const killed = await adminQuery<{ ok: boolean }>('select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> $2', [
        database.name,
        (locker as unknown as { processID: number }).processID,
      ]);
      expect(killed.filter((k) => k.ok).length).toBeGreaterThan(0);
      await locker.query('rollback');
      await running;
      const { failedBeforeReplay } = await expectAllPublishedAfterReplay(env.stack, uploads);
      // nothing of a terminated transaction survived: one course, its lessons, one asset per file
      const courses = await env.stack.db.selectFrom('courses').select('slug').execute();
      expect(courses.map((c) => c.slug).sort()).toEqual([...new Set(uploads.map((u) => u.key.split('/')[1]!))].sort());
      expect(await env.stack.db.selectFrom('assets').select('id').execute()).toHaveLength(uploads.length);
      expect(failedBeforeReplay).toBeLessThanOrEqual(uploads.length);
    } finally {
      await locker.end().catch(() => undefined);
      await env.dispose();
      await database.drop();
    }
  });
});

// Bounds for a busy two-core machine (retries with backoff, then a replay): not budgets.
describe('object store (the S3 adapter against s3rver) stopped mid-run and started again', { timeout: 300_000 }, () => {
  let s3: Awaited<ReturnType<typeof restartableS3rver>>;
  beforeAll(async () => {
    s3 = await restartableS3rver(['lectern-uploads', 'lectern-published']);
  });
  afterAll(async () => {
    await s3?.dispose();
  });

  it('retries through the outage or records failures that replay brings back; nothing half-published', async () => {
    // One upload per lesson: s3rver ignores If-Match, so concurrent manifest writes to one lesson
    // could lose an update there (real S3 and the filesystem twin refuse the stale write).
    const uploads = await mixedUploads(10, { prefix: 's3', perLesson: 1 });
    const stores: { uploads: ObjectStore; published: ObjectStore } = {
      uploads: new S3ObjectStore(s3.client, 'lectern-uploads'),
      published: new S3ObjectStore(s3.client, 'lectern-published'),
    };
    let outage: Promise<void> | undefined;
    const env = await openFaultStack({
      stores,
      retryIntervalMs: 300,
      onEntered: (count) => {
        if (count !== 8) return;
        outage = (async () => {
          await s3.stop();
          await sleep(1500);
          await s3.start();
        })();
      },
    });
    try {
      await processAll(env.stack, uploads);
      await outage;
      expect(outage, 'the outage happened mid-run').toBeDefined();
      const met = env.events.filter((e) => e.type === 'StateRetried' || e.type === 'StateFailed').length;
      const { failedBeforeReplay } = await expectAllPublishedAfterReplay(env.stack, uploads);
      expect(met + failedBeforeReplay, 'some step met the outage').toBeGreaterThan(0);
    } finally {
      await env.dispose();
    }
  });
});

describe('a handler crashing mid-invocation', { timeout: 300_000 }, () => {
  it('Lambda.Unknown (the runtime died) is retried to success; a crash error after side effects is recorded as failed and replayed', async () => {
    const uploads = await mixedUploads(6, { prefix: 'crash', perLesson: 2 });
    let unknown = 3;
    const env = await openFaultStack({
      retryIntervalMs: 1,
      // what Step Functions reports when a function's process dies (out of memory, killed)
      faults: (state) => (state === 'ValidatePdf' && unknown-- > 0 ? Object.assign(new Error('Lambda process exited before completing the request'), { name: 'Lambda.Unknown' }) : undefined),
    });
    // PublishAsset copies the outputs, then its process dies before the manifest is written
    const published = env.stack.deps.published;
    let crashes = 2;
    env.stack.deps.published = wrapStore(published, {
      put: async (key: string, body: Uint8Array | string, options?: PutOptions) => {
        if (key.endsWith('manifest.json') && crashes-- > 0) {
          throw Object.assign(new Error('RequestId: 8f1c Error: Runtime exited with error: signal: killed'), { name: 'Runtime.ExitError' });
        }
        return published.put(key, body, options);
      },
    });
    try {
      const results = await processAll(env.stack, uploads, 1);
      expect(env.events.filter((e) => e.type === 'StateRetried' && e.state === 'ValidatePdf')).toHaveLength(3);
      const failed = results.filter((r) => r.status === 'failed');
      expect(failed).toHaveLength(2);
      expect(failed[0]!.reasons[0]!.message).toMatch(/PublishAsset failed .*Runtime\.ExitError/);
      // before replay: the crashed publications' outputs are not referenced by any manifest or row
      const before = await checkConsistency(env.stack);
      expect(before.problems.filter((p) => /not an output of any published version/.test(p))).toHaveLength(2);
      const { failedBeforeReplay } = await expectAllPublishedAfterReplay(env.stack, uploads);
      expect(failedBeforeReplay).toBe(2);
    } finally {
      env.stack.deps.published = published;
      await env.dispose();
    }
  });
});
