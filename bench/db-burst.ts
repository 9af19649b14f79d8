/**
 * Database burst: 500 `recordPublished` calls at once (shared/db/asset-repository.ts), each from
 * its own "Lambda container" — a `pg` pool of one connection, as shared/aws/database.ts opens —
 *
 *   1. through PgBouncer (transaction pooling, 10 server connections per database), and
 *   2. straight to a throw-away PostgreSQL with `max_connections = 20` (initdb'd by this script in
 *      a temporary folder on port 55432, stopped and removed afterwards): the failure pooling
 *      prevents — "sorry, too many clients already".
 *
 * Reported: errors (by SQLSTATE), server connections used (PgBouncer's `SHOW POOLS` and
 * PostgreSQL's `pg_stat_activity`, sampled every 20 ms), ops/s. Goal: zero errors and at most 10
 * server connections through PgBouncer.
 *
 *   npm run bench:db-burst -- [--calls 500] [--rounds 3]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SourceObject } from '../shared/contract/asset-version.js';
import { recordPublished, type PublishedRecord } from '../shared/db/asset-repository.js';
import type { LecternDb } from '../shared/db/database.js';
import { createPgDatabase } from '../shared/db/pg-database.js';
import { createDatabase, migrateToLatest } from '../shared/db/open-database.js';
import { PGBOUNCER, POSTGRES, adminQuery, pgbouncerShow, reachable } from './lib/postgres.js';
import { median, ms, provenance, table, updateSection } from './lib/report.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '500' }, rounds: { type: 'string', default: '3' } } });
const CALLS = Number(values.calls);
const ROUNDS = Math.max(1, Number(values.rounds));
const THROWAWAY_PORT = 55432;
const PG_BIN = '/usr/lib/postgresql/15/bin';

function record(i: number, round: number): PublishedRecord {
  const course = `burst-course-${i % 10}`;
  const lesson = `lesson-${i % 50}`;
  const fileName = `notes-${round}-${i}.pdf`;
  const source: SourceObject = { bucket: 'lectern-bench', key: `courses/${course}/lessons/${lesson}/${fileName}`, etag: `etag-${round}-${i}`, size: 1000 + i, eventTime: new Date().toISOString() };
  return {
    version: { id: `av-burst-${round}-${i}`, source, receivedAt: new Date(), courseSlug: course, lessonSlug: lesson, fileName, stem: fileName.replace(/\.pdf$/, ''), kind: 'pdf', executionId: `arn:bench:${round}:${i}` },
    format: 'pdf',
    warnings: [],
    metadata: { pageCount: 3 },
    outputs: [{ name: fileName, key: `courses/${course}/lessons/${lesson}/${fileName}/v/${fileName}` }],
    contentSha256: 'a'.repeat(64),
    url: `https://cdn.example/courses/${course}/lessons/${lesson}/${fileName}`,
    finishedAt: new Date(),
  };
}

interface BurstResult {
  wallMs: number;
  ok: number;
  errors: Record<string, number>;
  peakServer: number;
  peakBouncer?: { svActive: number; svUsed: number; clWaiting: number; maxWaitMs: number };
}

/** `CALLS` containers, one connection each, all calling recordPublished at once. */
async function burst(url: string, database: string, round: number, sampleBouncer: boolean, serverAdmin: string): Promise<BurstResult> {
  const containers: LecternDb[] = Array.from({ length: CALLS }, () => createPgDatabase({ url, maxConnections: 1 }));
  let peakServer = 0;
  const peakBouncer = { svActive: 0, svUsed: 0, clWaiting: 0, maxWaitMs: 0 };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const [rows, pools] = await Promise.all([
        adminQuery<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = '${database}'`, serverAdmin).catch(() => [{ n: 0 }]),
        sampleBouncer ? pgbouncerShow('POOLS').catch(() => []) : Promise.resolve([]),
      ]);
      peakServer = Math.max(peakServer, rows[0]?.n ?? 0);
      for (const p of pools.filter((x) => x.database === database)) {
        peakBouncer.svActive = Math.max(peakBouncer.svActive, Number(p.sv_active));
        peakBouncer.svUsed = Math.max(peakBouncer.svUsed, Number(p.sv_active) + Number(p.sv_idle) + Number(p.sv_used) + Number(p.sv_tested) + Number(p.sv_login));
        peakBouncer.clWaiting = Math.max(peakBouncer.clWaiting, Number(p.cl_waiting));
        peakBouncer.maxWaitMs = Math.max(peakBouncer.maxWaitMs, Number(p.maxwait) * 1000 + Number(p.maxwait_us) / 1000);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const errors: Record<string, number> = {};
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    containers.map(async (db, i) => {
      try {
        await recordPublished(db, record(i, round));
        ok++;
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const code = cause?.code ?? (error as { code?: string }).code ?? 'unknown';
        const label = `${code} ${(cause?.message ?? (error as Error).message).replace(/\d+/g, 'N').slice(0, 60)}`;
        errors[label] = (errors[label] ?? 0) + 1;
      }
    }),
  );
  const wallMs = performance.now() - started;
  sampling = false;
  await sampler;
  await Promise.all(containers.map((db) => db.destroy().catch(() => undefined)));
  return { wallMs, ok, errors, peakServer, ...(sampleBouncer ? { peakBouncer } : {}) };
}

async function migrate(url: string): Promise<void> {
  const db = await createDatabase({ url, maxConnections: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

/** A throw-away PostgreSQL cluster with max_connections = 20, run as the postgres user. */
function throwawayCluster(): { url: string; stop(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lectern-pg-max20-'));
  const data = path.join(dir, 'data');
  const asPostgres = (cmd: string, args: string[]) => {
    const result = spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', [cmd, ...args].map((a) => `'${a}'`).join(' ')], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
  };
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  asPostgres(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${THROWAWAY_PORT} -c max_connections=20 -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${THROWAWAY_PORT}`,
    stop: () => {
      try {
        asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function summarise(label: string, results: BurstResult[]): Array<string | number> {
  const errors: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  const total = Object.values(errors).reduce((a, b) => a + b, 0);
  const bouncer = results.map((r) => r.peakBouncer).filter((b): b is NonNullable<BurstResult['peakBouncer']> => !!b);
  return [
    label,
    `${results.reduce((s, r) => s + r.ok, 0)} / ${CALLS * results.length}`,
    total === 0 ? '**0**' : `**${total}**: ${Object.entries(errors).map(([k, v]) => `${v} × \`${k.trim()}\``).join(', ')}`,
    Math.max(...results.map((r) => r.peakServer)),
    bouncer.length ? `${Math.max(...bouncer.map((b) => b.svUsed))} (active ≤ ${Math.max(...bouncer.map((b) => b.svActive))})` : '–',
    bouncer.length ? `${Math.max(...bouncer.map((b) => b.clWaiting))} / ${ms(Math.max(...bouncer.map((b) => b.maxWaitMs)))}` : '–',
    (CALLS / (median(results.map((r) => r.wallMs)) / 1000)).toFixed(0),
    `${(median(results.map((r) => r.ok / (r.wallMs / 1000)))).toFixed(0)}`,
  ];
}

async function main(): Promise<void> {
  if (!(await reachable(PGBOUNCER))) throw new Error(`PgBouncer at ${PGBOUNCER} is not reachable (bash .ci/start-pgbouncer.sh)`);
  const rows: Array<Array<string | number>> = [];

  // 1. through PgBouncer
  const name = `lectern_dbburst_${Date.now()}`;
  await adminQuery(`create database ${name}`);
  try {
    await migrate(`${POSTGRES}/${name}`);
    const results: BurstResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      results.push(await burst(`${PGBOUNCER}/${name}`, name, round, true, POSTGRES));
      process.stderr.write(`db-burst pgbouncer round ${round + 1}: ${JSON.stringify(results.at(-1))}\n`);
    }
    const stored = await adminQuery<{ n: number }>('select count(*)::int as n from asset_versions', POSTGRES, name);
    process.stderr.write(`db-burst: ${stored[0]?.n} rows stored\n`);
    rows.push(summarise('PgBouncer (transaction pooling, pool 10) → PostgreSQL', results));
  } finally {
    await adminQuery(`drop database if exists ${name} with (force)`).catch(() => undefined);
  }

  // 2. straight to PostgreSQL with max_connections = 20
  const cluster = throwawayCluster();
  try {
    await adminQuery('create database lectern_dbburst', cluster.url);
    await migrate(`${cluster.url}/lectern_dbburst`);
    const results: BurstResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      results.push(await burst(`${cluster.url}/lectern_dbburst`, 'lectern_dbburst', round, false, cluster.url));
      process.stderr.write(`db-burst direct round ${round + 1}: ${JSON.stringify(results.at(-1))}\n`);
    }
    rows.push(summarise('PostgreSQL directly (max_connections = 20)', results));
  } finally {
    cluster.stop();
  }

  const bouncerRow = rows[0]!;
  const met = String(bouncerRow[2]) === '**0**' && Number(bouncerRow[3]) <= 10;
  const body = [
    `${CALLS} \`recordPublished\` transactions at once (course → lesson → asset → version upserts, 10 courses, 50 lessons), each from its own "container": a \`pg\` pool of one`,
    'connection, as every Lambda opens (`shared/aws/database.ts`). Through PgBouncer in transaction pooling with 10 server connections for the database (`.ci/start-pgbouncer.sh`),',
    'and straight to a throw-away PostgreSQL with `max_connections = 20` that the script initdb\'s on port 55432 and removes afterwards. Server connections: the most',
    '`pg_stat_activity` rows for the database at one time (sampled every 20 ms) and PgBouncer\'s `SHOW POOLS` (sv_active + sv_idle + sv_used + sv_tested + sv_login).',
    '',
    provenance('npm run bench:db-burst', [`Rounds: ${ROUNDS} of ${CALLS} calls each`]),
    '',
    table(['path', 'recorded', 'errors', 'server connections (pg_stat_activity)', 'server connections (SHOW POOLS)', 'clients waiting / longest wait', 'ops/s (all calls, median round)', 'successful ops/s'], rows),
    '',
    `Goal (through PgBouncer): zero errors and at most 10 server connections — **${met ? 'met' : 'missed'}**. Straight to PostgreSQL, every container past the server's`,
    'limit is refused at connect ("sorry, too many clients already", SQLSTATE 53300): in production those are Lambda invocations failing — retried by the state machine,',
    'but under a sustained burst they keep failing, which is the connection exhaustion RDS Proxy / PgBouncer exists to prevent.',
  ].join('\n');
  updateSection('## Database burst', body);
  process.stdout.write(`${body}\n`);
}

await main();
