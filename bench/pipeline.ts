/**
 * Pipeline: 200 mixed PDF and quiz uploads through the local stack (the publish-content ASL run by
 * the orchestrator twin, every Task invoked through the Lambda boundary), on PGlite and on
 * PostgreSQL through PgBouncer — against the floor: the same use-case functions (classify →
 * validate → publish → invalidate → record) called directly in a loop, with the same deps, in the
 * same process, in alternating rounds (floor, machine, machine, floor, …) so that load from other
 * processes falls on both alike.
 *
 *   npm run bench:pipeline -- [--uploads 200] [--rounds 3] [--concurrency 4] [--profile DIR] [--backends pglite,pgbouncer]
 *
 * Reported: uploads/s, p50/p95 upload-to-published (from handing the bytes to the upload bucket to
 * the published record), and overhead = machine time / floor time (goal ≤ 1.2×). `--profile DIR`
 * writes a CPU profile of one floor round and one machine round per backend, and the self time of
 * the orchestration code in each is added to the report.
 */
import './lib/quiet.js';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalStack, type LocalStack } from '../local/local-stack.js';
import { summarise } from './lib/cpu-profile.js';
import { publishDirectly } from './lib/direct.js';
import { PGBOUNCER, reachable, scratchDatabase, type ScratchDatabase } from './lib/postgres.js';
import { profiled } from './lib/profile-window.js';
import { ms, percentile, provenance, ratio, table, updateSection } from './lib/report.js';
import { mixedUploads, pool, type GeneratedUpload } from './lib/uploads.js';

const { values } = parseArgs({
  options: {
    uploads: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    profile: { type: 'string' },
    backends: { type: 'string', default: 'pglite,pgbouncer' },
    'no-write': { type: 'boolean', default: false },
  },
});
const UPLOADS = Number(values.uploads);
const ROUNDS = Math.max(1, Number(values.rounds));
const CONCURRENCY = Math.max(1, Number(values.concurrency));
const PROFILE_DIR = values.profile ? path.resolve(values.profile) : undefined;

type Mode = 'floor' | 'machine';

interface Tally {
  wallMs: number;
  cpuMs: number;
  latencies: number[];
  statuses: Record<string, number>;
}

interface BackendResult {
  backend: string;
  floor: Tally;
  machine: Tally;
  /** machine / floor wall time of each round. */
  roundRatios: number[];
  profile?: { floor: string; machine: string };
}

const emptyTally = (): Tally => ({ wallMs: 0, cpuMs: 0, latencies: [], statuses: {} });

/** One chunk of uploads, `CONCURRENCY` at a time, by one path; adds to `tally`. */
async function runChunk(stack: LocalStack, uploads: GeneratedUpload[], mode: Mode, tag: string, tally: Tally): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await pool(uploads, CONCURRENCY, async (u) => {
    const key = u.key.replace(/^courses\/[^/]+/, (course) => `${course}-${tag}`);
    const t = performance.now();
    const status = mode === 'floor' ? await publishDirectly(stack, key, u.bytes) : (await stack.upload(key, u.bytes)).status;
    tally.latencies.push(performance.now() - t);
    tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
  });
  tally.wallMs += performance.now() - started;
  const used = process.cpuUsage(cpu);
  tally.cpuMs += (used.user + used.system) / 1000;
}

const CHUNK = 20;

async function runBackend(backend: string, uploads: GeneratedUpload[], warmup: GeneratedUpload[]): Promise<BackendResult> {
  const stateDir = await mkdtemp(path.join(tmpdir(), `lectern-bench-pipeline-${backend}-`));
  let scratch: ScratchDatabase | undefined;
  if (backend === 'pgbouncer') scratch = await scratchDatabase(PGBOUNCER, 'lectern_bench_pipeline');
  const stack = await openLocalStack({ stateDir, ...(scratch ? { databaseUrl: scratch.url } : {}) });
  const result: BackendResult = { backend, floor: emptyTally(), machine: emptyTally(), roundRatios: [] };
  try {
    // Warm the JIT, pdf.js and the connection pool for both paths before anything is timed.
    await runChunk(stack, warmup, 'machine', 'warm-m', emptyTally());
    await runChunk(stack, warmup, 'floor', 'warm-f', emptyTally());
    for (let round = 0; round < ROUNDS; round++) {
      const before = { floor: result.floor.wallMs, machine: result.machine.wallMs };
      // Chunks of 20 in ABBA order (floor, machine, machine, floor, …): a burst of load from
      // another process lasts seconds, so it lands on both paths about equally.
      for (let c = 0; c * CHUNK < uploads.length; c++) {
        const chunk = uploads.slice(c * CHUNK, (c + 1) * CHUNK);
        const order: Mode[] = (c + round) % 2 === 0 ? ['floor', 'machine'] : ['machine', 'floor'];
        for (const mode of order) await runChunk(stack, chunk, mode, `${mode[0]}${round}`, result[mode]);
      }
      result.roundRatios.push((result.machine.wallMs - before.machine) / (result.floor.wallMs - before.floor));
      process.stderr.write(`pipeline ${backend}: round ${round + 1}/${ROUNDS}: floor ${ms(result.floor.wallMs - before.floor)}, machine ${ms(result.machine.wallMs - before.machine)}\n`);
    }
    if (PROFILE_DIR) {
      // One more round of each, profiled (not counted: the profiler slows both down).
      result.profile = { floor: path.join(PROFILE_DIR, `${backend}-floor.cpuprofile`), machine: path.join(PROFILE_DIR, `${backend}-machine.cpuprofile`) };
      await profiled(result.profile.floor, () => runChunk(stack, uploads, 'floor', 'pf', emptyTally()));
      await profiled(result.profile.machine, () => runChunk(stack, uploads, 'machine', 'pm', emptyTally()));
    }
  } finally {
    await stack.close();
    await scratch?.drop();
    await rm(stateDir, { recursive: true, force: true });
  }
  return result;
}

const ORCHESTRATION = /aws-local-stepfunctions|jsonpath-plus|local\/local-step-functions|local\/lambda-invoker|local\/local-stack|@middy|@aws-lambda-powertools|shared\/lambda\.ts/;

function orchestrationSelfMs(file: string): { total: number; areas: string } {
  const summary = summarise(file, 200);
  const hits = summary.byArea.filter((a) => ORCHESTRATION.test(a.name));
  return { total: hits.reduce((s, a) => s + a.ms, 0), areas: hits.slice(0, 6).map((a) => `${a.name} ${a.ms.toFixed(0)} ms`).join(', ') };
}

async function main(): Promise<void> {
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const uploads = await mixedUploads(UPLOADS, { prefix: 'bench' });
  const warmup = await mixedUploads(40, { prefix: 'warm' });
  const backends = values.backends.split(',').filter(Boolean);
  const results: BackendResult[] = [];
  for (const backend of backends) {
    if (backend === 'pgbouncer' && !(await reachable(PGBOUNCER))) {
      process.stderr.write(`pipeline: PgBouncer at ${PGBOUNCER} is not reachable; skipped (bash .ci/start-pgbouncer.sh)\n`);
      continue;
    }
    results.push(await runBackend(backend, uploads, warmup));
  }

  const rows = results.map((r) => {
    const { floor, machine } = r;
    const overall = machine.wallMs / floor.wallMs;
    return {
      overall,
      cpu: machine.cpuMs / floor.cpuMs,
      cells: [
        r.backend === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL via PgBouncer',
        (machine.latencies.length / (machine.wallMs / 1000)).toFixed(1),
        (floor.latencies.length / (floor.wallMs / 1000)).toFixed(1),
        `${ms(percentile(machine.latencies, 50))} / ${ms(percentile(machine.latencies, 95))}`,
        `${ms(percentile(floor.latencies, 50))} / ${ms(percentile(floor.latencies, 95))}`,
        `**${ratio(overall)}**`,
        r.roundRatios.map(ratio).join(', '),
        ratio(machine.cpuMs / floor.cpuMs),
        Object.entries(machine.statuses).map(([k, v]) => `${v} ${k}`).join(', '),
      ],
    };
  });

  const profileNotes = results
    .filter((r) => r.profile?.floor && r.profile.machine)
    .map((r) => {
      const m = orchestrationSelfMs(r.profile!.machine);
      const f = summarise(r.profile!.floor, 5);
      const mm = summarise(r.profile!.machine, 5);
      return `- ${r.backend}: one machine round, ${ms(mm.totalMs)} profiled (floor round: ${ms(f.totalMs)}); self time in orchestration code: ${ms(m.total)} (${ms(m.total / UPLOADS)} per upload) — ${m.areas}.`;
    });

  const worst = Math.max(...rows.map((r) => r.overall));
  results.forEach((r) => process.stderr.write(`pipeline ${r.backend}: statuses ${JSON.stringify(r.machine.statuses)} / floor ${JSON.stringify(r.floor.statuses)}\n`));
  const body = [
    `${UPLOADS} mixed uploads (half PDFs of 1–5 pages made with pdf-lib, half quizzes: GIFT and native YAML), ${CONCURRENCY} at a time, through the local stack`,
    '(`stack.upload`: the publish-content ASL run by aws-local-stepfunctions, each Task through the Lambda boundary — JSON in and out, middy, Powertools — with',
    'execution records on disk) against the **floor**: the same use-cases (ClassifyUpload → ValidatePdf/ValidateQuiz → PublishAsset → InvalidateCdn → RecordPublished)',
    'called directly with the same deps (`bench/lib/direct.ts`). Both run in one process, after a warm-up of 40 uploads each, in alternating chunks of 20',
    '(floor, machine, machine, floor, …) so that load from other processes falls on both alike. Latency: from handing the bytes to the upload bucket to the',
    'published record. PgBouncer: transaction pooling, 10 server connections; the stack\'s own pool has 4.',
    '',
    provenance(`npm run bench:pipeline -- --uploads ${UPLOADS} --rounds ${ROUNDS} --concurrency ${CONCURRENCY}${PROFILE_DIR ? ' --profile /tmp/pipeline-profiles' : ''}`, [`Rounds: ${ROUNDS} of each, ${UPLOADS} uploads each`]),
    '',
    table(
      ['database', 'machine uploads/s', 'floor uploads/s', 'machine p50 / p95', 'floor p50 / p95', 'overhead (wall time, machine / floor)', 'per round', 'CPU time of this process, machine / floor', 'machine outcomes'],
      rows.map((r) => r.cells),
    ),
    '',
    `Goal: overhead ≤ 1.20×. ${worst <= 1.2 ? `**Met** (worst ${ratio(worst)}).` : `**Missed** (worst ${ratio(worst)}); see below.`}`,
    ...(profileNotes.length ? ['', 'CPU profile (`--profile`):', '', ...profileNotes] : []),
  ].join('\n');
  if (!values['no-write']) updateSection("## Pipeline", body);
  process.stdout.write(`${body}\n`);
}

await main();
