/**
 * A burst: `count` uploads handed to the local stack all at once (an educator dropping a term's
 * worth of files, or S3 delivering a backlog), on PostgreSQL through PgBouncer with the stack's
 * small pool, while PostgreSQL's server connections to the database are sampled. Used by
 * tests/reliability/burst.test.ts (200) and bench/reliability-burst.ts (1,000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalStack, type LocalStack, type UploadResult } from '../../local/local-stack.js';
import type { HistoryEvent } from '../../local/execution-records.js';
import { adminQuery } from './postgres.js';
import { mixedUploads } from './uploads.js';

export interface BurstOptions {
  count: number;
  /** Server URL without database (PgBouncer); the burst gets a database of its own on it. */
  server?: string;
  /** Database name on PostgreSQL to create and drop (required with `server`). */
  database?: string;
  /** Uploads per lesson (all to one lesson stresses the manifest's conditional writes). */
  perLesson?: number;
  /** Milliseconds between the state machine's retries (default 50; unset for the ASL's own backoff: pass null). */
  retryIntervalMs?: number | null;
  /** Called with the open stack before the burst (to check things during it). */
  onOpen?: (stack: LocalStack) => void;
}

export interface BurstReport {
  count: number;
  wallMs: number;
  outcomes: Record<string, number>;
  /** Results that are not `published` (with their first reason). */
  notPublished: Array<{ key: string; status: string; reason?: string }>;
  /** Task failures caused by the database connection (retried or not). */
  connectionErrors: number;
  /** Every StateFailed event, by error name. */
  taskFailures: Record<string, number>;
  retries: number;
  /** Most server connections PostgreSQL had open to the burst's database at one time. */
  peakServerConnections: number;
  peakRssMiB: number;
  rows: number;
  stack: LocalStack;
  dispose(): Promise<void>;
}

export async function runBurst(options: BurstOptions): Promise<BurstReport> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-burst-'));
  if (options.server && options.database) await adminQuery(`create database ${options.database}`);
  const events: HistoryEvent[] = [];
  const stack = await openLocalStack({
    stateDir,
    ...(options.retryIntervalMs === null ? {} : { retryIntervalMs: options.retryIntervalMs ?? 50 }),
    ...(options.server && options.database ? { databaseUrl: `${options.server}/${options.database}` } : {}),
    onEvent: (_name, event) => {
      if (event.type === 'StateFailed' || event.type === 'StateRetried') events.push(event);
    },
  });
  options.onOpen?.(stack);
  const uploads = await mixedUploads(options.count, { prefix: 'burst', perLesson: options.perLesson ?? 10 });

  let peakServer = 0;
  let peakRss = process.memoryUsage().rss;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (options.database) {
        const rows = await adminQuery<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = '${options.database}'`).catch(() => []);
        peakServer = Math.max(peakServer, rows[0]?.n ?? 0);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();

  const started = performance.now();
  let results: UploadResult[];
  try {
    results = await Promise.all(uploads.map((u) => stack.upload(u.key, u.bytes)));
  } finally {
    sampling = false;
    await sampler;
  }
  const wallMs = performance.now() - started;
  const outcomes: Record<string, number> = {};
  for (const r of results) outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
  const taskFailures: Record<string, number> = {};
  let connectionErrors = 0;
  for (const e of events) {
    if (e.type !== 'StateFailed') continue;
    taskFailures[e.error ?? 'unknown'] = (taskFailures[e.error ?? 'unknown'] ?? 0) + 1;
    if (/Database unavailable|connect|too many clients|timeout exceeded/i.test(e.cause ?? '')) connectionErrors++;
  }
  const rows = (await stack.db.selectFrom('asset_versions').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0;
  return {
    count: options.count,
    wallMs,
    outcomes,
    notPublished: results.filter((r) => r.status !== 'published').map((r) => ({ key: r.key, status: r.status, ...(r.reasons[0] ? { reason: r.reasons[0].message } : {}) })),
    connectionErrors,
    taskFailures,
    retries: events.filter((e) => e.type === 'StateRetried').length,
    peakServerConnections: peakServer,
    peakRssMiB: peakRss / 1024 ** 2,
    rows: Number(rows),
    stack,
    async dispose() {
      await stack.close();
      if (options.database) await adminQuery(`drop database if exists ${options.database} with (force)`).catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
