/**
 * Burst: 1,000 uploads handed to the local stack at once — spread over 100 lessons, and all into
 * one lesson (whose manifest every one of them must update) — on PostgreSQL through PgBouncer with
 * the stack's pool of 4 connections, and on PGlite; the state machine's own retry intervals (the
 * ASL's backoff and jitter). Every upload must be accounted for: published, one row, outputs,
 * manifest entry and report each (tests/reliability/support.ts), with no connection errors and
 * no more server connections than the pool.
 *
 *   npm run bench:reliability-burst -- [--count 1000]
 *
 * Writes the "Reliability: burst" section of BENCHMARKS.md; exits 1 when a goal is missed.
 */
import './lib/quiet.js';
import { parseArgs } from 'node:util';
import { checkConsistency } from '../tests/reliability/support.js';
import { runBurst, type BurstReport } from './lib/burst.js';
import { PGBOUNCER, reachable } from './lib/postgres.js';
import { mib, ms, provenance, table, updateSection } from './lib/report.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' } } });
const COUNT = Number(values.count);

interface Case {
  label: string;
  perLesson: number;
  pgbouncer: boolean;
}

const cases: Case[] = [
  { label: `${COUNT} uploads, 10 per lesson — PostgreSQL via PgBouncer`, perLesson: 10, pgbouncer: true },
  { label: `${COUNT} uploads into one lesson — PostgreSQL via PgBouncer`, perLesson: COUNT, pgbouncer: true },
  { label: `${COUNT} uploads, 10 per lesson — PGlite`, perLesson: 10, pgbouncer: false },
];

const bouncerUp = await reachable(PGBOUNCER);
const rows: Array<Array<string | number>> = [];
let allMet = true;
for (const c of cases) {
  if (c.pgbouncer && !bouncerUp) {
    process.stderr.write(`burst: PgBouncer at ${PGBOUNCER} is not reachable; "${c.label}" skipped\n`);
    continue;
  }
  let report: BurstReport | undefined;
  try {
    report = await runBurst({
      count: COUNT,
      perLesson: c.perLesson,
      retryIntervalMs: null,
      ...(c.pgbouncer ? { server: PGBOUNCER, database: `lectern_bench_burst_${Date.now()}` } : {}),
    });
    const { problems, counts } = await checkConsistency(report.stack);
    const met = report.notPublished.length === 0 && report.connectionErrors === 0 && problems.length === 0 && report.rows === COUNT && (!c.pgbouncer || report.peakServerConnections <= 10);
    allMet &&= met;
    process.stderr.write(`burst: ${c.label}: ${JSON.stringify({ ...report, stack: undefined, notPublished: report.notPublished.slice(0, 3), problems: problems.slice(0, 3) })}\n`);
    rows.push([
      c.label,
      Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', '),
      report.rows,
      problems.length,
      report.connectionErrors,
      Object.entries(report.taskFailures).map(([k, v]) => `${v} × ${k}`).join(', ') || 'none',
      c.pgbouncer ? report.peakServerConnections : '–',
      ms(report.wallMs),
      (COUNT / (report.wallMs / 1000)).toFixed(1),
      mib(report.peakRssMiB * 1024 ** 2),
      met ? 'met' : '**missed**',
    ]);
  } finally {
    await report?.dispose();
  }
}

const body = [
  `${COUNT} uploads (half PDFs, half GIFT/YAML quizzes) handed to the local stack at once (\`Promise.all\` of \`stack.upload\`), with the state machine's own retry`,
  "intervals (the ASL's backoff and full jitter). The stack's database pool has 4 connections; PgBouncer gives the database 10. Checked afterwards: every upload",
  'published, one row each, and the consistency check of the reliability suite (outputs present, manifests naming them, reports agreeing with the rows, nothing',
  'half-published, the sources kept). "Connection errors": task failures whose cause is the database connection; "task failures": every failed attempt that was retried.',
  '',
  provenance('npm run bench:reliability-burst'),
  '',
  table(['burst', 'outcome', 'rows', 'inconsistencies', 'connection errors', 'task failures (retried)', 'server connections (peak)', 'time', 'uploads/s', 'peak RSS', 'goal'], rows),
  '',
  `Goal: all accounted for, no connection errors, at most 10 server connections — **${allMet ? 'met' : 'missed'}**.`,
  'The 200-upload version and 500 uploads into one lesson run in `npm test` (tests/reliability/burst.test.ts).',
].join('\n');
updateSection('## Reliability: burst', body);
process.stdout.write(`${body}\n`);
process.exitCode = allMet ? 0 : 1;
