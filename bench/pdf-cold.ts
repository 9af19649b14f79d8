/**
 * The cold PDF path: what a fresh process pays to validate one PDF — Node's start-up, loading the
 * validator, and the first document — against `qpdf --check FILE`, one process per file for both,
 * over the shared corpus. This is what every new validatePdf container pays for its first upload.
 *
 *   npm run bench:pdf-cold -- [--runs 2] [--compare <git ref>]      (~3 min; with --compare ~4 min)
 *
 * Every process's CPU is the kernel's account of it (user + system from wait4, every thread,
 * start-up and exit included), the same way for lectern and qpdf. Per file and run, in this order:
 * lectern cold, lectern with ValidatePdf's init warm-up (the built-in PDF validated first, as the
 * Lambda does during init), qpdf, and — with `--compare` — the validator of another commit (built
 * from a temporary git worktree), so that before and after are measured side by side under the
 * same load. Floors: `node -e 0`, and the validator's process with no file (start-up + loading).
 * Medians over the runs. Writes the "PDF validation: cold, one process per file" section.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundlePdfChild } from './lib/pdf-bundle.js';
import { REPO_ROOT, median, ms, provenance, ratio, table, updateSection } from './lib/report.js';
import { addWorktree, shortName } from './lib/worktree.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '2' }, compare: { type: 'string' } } });
const RUNS = Math.max(1, Number(values.runs));
const CORPUS = path.resolve(REPO_ROOT, process.env.LECTERN_CORPUS ?? '../shared/corpus');
const QPDF_DIR = path.join(REPO_ROOT, 'node_modules/@neslinesli93/qpdf-wasm/dist');
const TIMEOUT_MS = 180_000;

interface Run {
  /** CPU of the whole process (user + system), ms. */
  cpu: number;
  /** Wall time of the whole process, ms. */
  wall: number;
  /** In-process validation time of the file, ms (lectern only). */
  first?: number;
  /** The init warm-up's own time, ms. */
  warmUp?: number;
  verdict?: string;
}

/**
 * Runs a process and reports its CPU from the kernel's accounting (wait4's rusage, microseconds:
 * GNU time prints hundredths of a second, which rounds most `qpdf --check` runs to 0 or 10 ms).
 * The waiter is a few lines of Python, outside the measured process.
 */
const WAIT4 = [
  'import os, sys, time',
  't = time.perf_counter()',
  'pid = os.fork()',
  'if pid == 0:',
  '    os.execvp(sys.argv[1], sys.argv[1:])',
  '_, status, ru = os.wait4(pid, 0)',
  'sys.stderr.write("TIME %f %f %f %d\\n" % (time.perf_counter() - t, ru.ru_utime, ru.ru_stime, os.waitstatus_to_exitcode(status)))',
].join('\n');

/** One process, its CPU and wall time; its JSON lines (lectern's child) parsed. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const result = spawnSync('python3', ['-c', WAIT4, command, ...args], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
    env,
  });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (-?\d+)\s*$/.exec(result.stderr ?? '');
  if (!m) throw new Error(`${command} ${args.join(' ')}: no timing (${result.status}): ${(result.stderr ?? '').slice(-500)}`);
  const run: Run = { wall: Number(m[1]) * 1000, cpu: (Number(m[2]) + Number(m[3])) * 1000 };
  for (const line of (result.stdout ?? '').split('\n')) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as { ms?: number; warmUp?: number; ok?: boolean; codes?: string[]; done?: boolean };
    if (parsed.warmUp !== undefined) run.warmUp = parsed.warmUp;
    else if (parsed.ms !== undefined && run.first === undefined) {
      run.first = parsed.ms;
      run.verdict = parsed.ok ? 'accepted' : `rejected (${(parsed.codes ?? []).join(', ')})`;
    }
  }
  return run;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The validator of another commit, bundled from a temporary worktree. */
async function bundleAt(ref: string, work: string): Promise<string> {
  const tree = path.join(work, 'compare-tree');
  const remove = addWorktree(ref, tree);
  try {
    return await bundlePdfChild(tree, path.join(work, 'pdf-child-compare.mjs'));
  } finally {
    remove();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'lectern-bench-pdf-cold-'));
  try {
    const child = await bundlePdfChild(REPO_ROOT, path.join(work, 'pdf-child.mjs'));
    const compare = values.compare ? await bundleAt(values.compare, work) : undefined;
    const compareName = values.compare ? shortName(values.compare) : '';
    const pdfDir = path.join(CORPUS, 'pdf');
    const files = readdirSync(pdfDir)
      .filter((f) => f.toLowerCase().endsWith('.pdf'))
      .sort()
      .map((f) => path.join(pdfDir, f));
    const node = process.execPath;
    const env = { ...process.env, LECTERN_QPDF_DIR: QPDF_DIR };
    const started = performance.now();
    // Floors, several times each, interleaved.
    const floors = { node: [] as Run[], load: [] as Run[], loadCompare: [] as Run[] };
    for (let i = 0; i < 5 * RUNS; i++) {
      floors.node.push(timed(node, ['-e', '0']));
      floors.load.push(timed(node, [child], env));
      if (compare) floors.loadCompare.push(timed(node, [compare], env));
    }
    const runs = new Map<string, { cold: Run[]; warm: Run[]; qpdf: Run[]; compare: Run[] }>(files.map((f) => [f, { cold: [], warm: [], qpdf: [], compare: [] }]));
    for (let run = 0; run < RUNS; run++) {
      for (const file of files) {
        const r = runs.get(file)!;
        r.cold.push(timed(node, [child, file], env));
        r.warm.push(timed(node, [child, file], { ...env, LECTERN_BENCH_WARM_UP: '1' }));
        r.qpdf.push(timed('qpdf', ['--check', file]));
        if (compare) r.compare.push(timed(node, [compare, file], env));
      }
      process.stderr.write(`pdf-cold: run ${run + 1}/${RUNS} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    const med = (xs: Run[], key: keyof Run) => median(xs.map((x) => x[key] as number));
    const per = (pick: (r: { cold: Run[]; warm: Run[]; qpdf: Run[]; compare: Run[] }) => Run[], key: keyof Run) => files.map((f) => med(pick(runs.get(f)!), key));
    const cpu = {
      cold: per((r) => r.cold, 'cpu'),
      warm: per((r) => r.warm, 'cpu'),
      qpdf: per((r) => r.qpdf, 'cpu'),
      compare: compare ? per((r) => r.compare, 'cpu') : [],
    };
    const wall = {
      cold: per((r) => r.cold, 'wall'),
      warm: per((r) => r.warm, 'wall'),
      qpdf: per((r) => r.qpdf, 'wall'),
      compare: compare ? per((r) => r.compare, 'wall') : [],
    };
    const first = { cold: per((r) => r.cold, 'first'), warm: per((r) => r.warm, 'first'), compare: compare ? per((r) => r.compare, 'first') : [] };
    const warmUps = files.map((f) => med(runs.get(f)!.warm, 'warmUp'));
    const qpdfCpu = sum(cpu.qpdf);
    const nodeFloor = med(floors.node, 'cpu');
    const loadFloor = med(floors.load, 'cpu');
    const n = files.length;
    const coldRatio = sum(cpu.cold) / qpdfCpu;
    const seconds = (performance.now() - started) / 1000;

    const rows: Array<Array<string>> = [
      ['lectern, cold (what a new container pays for its first upload)', ms(sum(cpu.cold)), ratio(coldRatio), ms(sum(wall.cold)), ratio(sum(wall.cold) / sum(wall.qpdf))],
      ['lectern, with the init warm-up before the file', ms(sum(cpu.warm)), ratio(sum(cpu.warm) / qpdfCpu), ms(sum(wall.warm)), ratio(sum(wall.warm) / sum(wall.qpdf))],
      ...(compare
        ? [[`lectern at ${compareName} (before), cold`, ms(sum(cpu.compare)), ratio(sum(cpu.compare) / qpdfCpu), ms(sum(wall.compare)), ratio(sum(wall.compare) / sum(wall.qpdf))]]
        : []),
      ['`qpdf --check`', ms(qpdfCpu), '1.00×', ms(sum(wall.qpdf)), '1.00×'],
      ['`node -e 0` (the floor under any Node process)', ms(nodeFloor * n), ratio((nodeFloor * n) / qpdfCpu), '', ''],
    ];
    const breakdown = [
      ['Node start-up (`node -e 0`)', ms(nodeFloor)],
      ['loading the validator (its process with no file, minus the above)', ms(loadFloor - nodeFloor)],
      ['the first document (median over the files of a cold process minus the two above)', ms(median(cpu.cold) - loadFloor)],
      ['a cold process, median over the files', ms(median(cpu.cold))],
      ...(compare ? [[`before (${compareName}): loading the validator`, ms(med(floors.loadCompare, 'cpu') - nodeFloor)], [`before (${compareName}): a cold process, median over the files`, ms(median(cpu.compare))]] : []),
      ['`qpdf --check`, median over the files', ms(median(cpu.qpdf))],
    ];
    const latency = [
      ['the first file, cold (median over the files)', ms(median(first.cold)), ms(sum(first.cold))],
      ['the first file after the init warm-up', ms(median(first.warm)), ms(sum(first.warm))],
      ...(compare ? [[`the first file, cold, before (${compareName})`, ms(median(first.compare)), ms(sum(first.compare))]] : []),
      ['the warm-up itself (in the init, before the first invocation)', ms(median(warmUps)), ''],
    ];
    const body = [
      'What a fresh process pays to validate one PDF — Node\'s start-up, loading the validator, the first document — against `qpdf --check FILE`, one process per file for both, over the corpus: what every new validatePdf container pays for its first upload.',
      'The validator is bundled as the Lambda is (esbuild, serverless.yml\'s options) and run by plain `node`; CPU = user + system of the whole process as the kernel accounts it (wait4, microseconds; all threads, start-up and exit included), the same for both; wall = the process\'s life.',
      `Per file and run, interleaved: lectern cold; lectern with ValidatePdf's init warm-up (shared/pdf/pdf-warm-up.ts) before the file; qpdf${compare ? `; lectern at ${compareName}` : ''}. Medians per file over the runs, then summed.`,
      '',
      provenance(`npm run bench:pdf-cold -- --runs ${RUNS}${values.compare ? ` --compare ${values.compare}` : ''}`, [
        `Corpus: ${n} PDFs (${path.relative(REPO_ROOT, pdfDir) || pdfDir}); runs: ${RUNS}; the whole bench took ${seconds.toFixed(0)} s`,
      ]),
      '',
      table(['one process per file, all files', 'CPU', 'CPU / qpdf', 'wall', 'wall / qpdf'], rows),
      '',
      `**Goal (#18): cold path ≤ 2× \`qpdf --check\` CPU, one process per file — ${coldRatio <= 2 ? 'met' : 'missed'} (${ratio(coldRatio)}).** ` +
        `An empty Node process alone costs ${ratio(nodeFloor / median(cpu.qpdf))} the CPU of the median file's \`qpdf --check\` here.`,
      '',
      'Where a cold process\'s CPU goes (medians):',
      '',
      table(['part', 'CPU'], breakdown),
      '',
      'Latency of the first file (validation time inside the process, as the first invocation sees it):',
      '',
      table(['', 'median', 'all files'], latency),
    ].join('\n');
    updateSection('## PDF validation: cold, one process per file', body);
    process.stdout.write(`${body}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
