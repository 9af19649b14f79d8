/**
 * What a user of the command pays, measured on the command itself (`bin/lectern.js`, the compiled
 * JavaScript in dist/), each figure a median of side-by-side runs so that load from other
 * processes falls on all of them alike:
 *
 *  (b) start-up: `node -e 0`, `lectern --help`, `lectern run` on one new quiz in an existing state
 *      folder, `lectern dev` until it serves — wall and CPU, as ratios to `node -e 0`;
 *  (a) `lectern run` on N quizzes (fresh state folder) in one lesson and spread over lessons,
 *      against the in-process floor: the same validation (parseQuiz) of the same files in one
 *      process — wall, CPU and peak RSS, and the cost per upload.
 *
 *   npm run bench:cli-cost -- [--runs 3] [--sizes 1,100,1000] [--spread 101] [--no-write]
 *
 * CPU and peak RSS come from GNU time (`/usr/bin/time`); `lectern dev`'s from /proc when it
 * first answers.
 */
import './lib/quiet.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../tests/helpers/free-port.js';
import { REPO_ROOT, median, mib, ms, provenance, ratio, table, updateSection } from './lib/report.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '1,100,1000' },
    spread: { type: 'string', default: '101' },
    'no-write': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const SIZES = values.sizes.split(',').map(Number);
const SPREAD = Number(values.spread);
const BIN = path.join(REPO_ROOT, 'bin/lectern.js');
const FLOOR = path.join(REPO_ROOT, 'dist/bench/lib/validate-floor.js');
const NODE = process.execPath;
const ENV = { ...process.env, LECTERN_LOG_LEVEL: 'SILENT' };

interface Cost {
  wallMs: number;
  cpuMs: number;
  rssBytes: number;
}

/** Runs a command to its end under GNU time. */
function timed(args: string[], cwd: string): Cost {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'LECTERN-TIME %U %S %M', NODE, ...args], { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  const line = result.stderr.split('\n').find((l) => l.startsWith('LECTERN-TIME '));
  if (!line || (result.status !== 0 && result.status !== 1)) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const [user, system, rssKb] = line.split(' ').slice(1).map(Number) as [number, number, number];
  return { wallMs, cpuMs: (user + system) * 1000, rssBytes: rssKb * 1024 };
}

/** `lectern dev` until its preview answers: wall, and CPU and peak RSS from /proc at that moment. */
async function devUntilServing(stateDir: string): Promise<Cost> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(NODE, [BIN, 'dev', '--port', String(port), '--state-dir', stateDir], { env: ENV, stdio: 'ignore' });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`lectern dev exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const wallMs = performance.now() - started;
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]); // utime, stime (fields 14, 15)
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    return { wallMs, cpuMs: ticks * 10, rssBytes: Number(hwm) * 1024 };
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function medianCost(costs: Cost[]): Cost {
  return { wallMs: median(costs.map((c) => c.wallMs)), cpuMs: median(costs.map((c) => c.cpuMs)), rssBytes: median(costs.map((c) => c.rssBytes)) };
}

const quiz = (i: number): string => `::Q${i}:: What is ${i} + 2? {=${i + 2} ~${i + 1} ~${i + 3}}\n\n::Q${i}b:: Is ${i} even? {${i % 2 === 0 ? 'T' : 'F'}}\n`;

/** N quizzes laid out as courses/bench/lessons/<lesson>/q<i>.gift, in `lessons` lessons. */
function courseFolder(root: string, count: number, lessons: number): string {
  const dir = path.join(root, `course-${count}-${lessons}`);
  for (let i = 0; i < count; i++) {
    const lesson = path.join(dir, 'courses/bench/lessons', `lesson-${i % lessons}`);
    mkdirSync(lesson, { recursive: true });
    writeFileSync(path.join(lesson, `q${i}.gift`), quiz(i));
  }
  return dir;
}

const work = mkdtempSync(path.join(tmpdir(), 'lectern-cli-cost-'));
try {
  // (b) start-up. One state folder made beforehand: "run" is the second run in an existing folder.
  const existing = path.join(work, 'existing');
  mkdirSync(path.join(work, 'one'), { recursive: true });
  writeFileSync(path.join(work, 'one/first.gift'), quiz(0));
  timed([BIN, 'run', 'one/first.gift', '--course', 'bench', '--lesson', 'startup', '--state-dir', existing], work);
  const startup: Record<string, Cost[]> = { 'node -e 0': [], 'lectern --help': [], 'lectern run (1 quiz, existing state folder)': [], 'lectern dev (until serving)': [] };
  for (let run = 0; run < RUNS; run++) {
    writeFileSync(path.join(work, `one/q${run}.gift`), quiz(run + 1));
    startup['node -e 0']!.push(timed(['-e', '0'], work));
    startup['lectern --help']!.push(timed([BIN, '--help'], work));
    startup['lectern run (1 quiz, existing state folder)']!.push(timed([BIN, 'run', `one/q${run}.gift`, '--course', 'bench', '--lesson', 'startup', '--state-dir', existing], work));
    startup['lectern dev (until serving)']!.push(await devUntilServing(existing));
  }
  const startupMedians = Object.fromEntries(Object.entries(startup).map(([name, costs]) => [name, medianCost(costs)]));
  const base = startupMedians['node -e 0']!;
  const help = startupMedians['lectern --help']!;

  // (a) N quizzes: one lesson, spread over lessons, and the in-process floor; side by side per run.
  const layouts = SIZES.flatMap((n) => [
    { n, lessons: 1, dir: courseFolder(work, n, 1) },
    ...(n > 1 ? [{ n, lessons: Math.min(SPREAD, n), dir: courseFolder(work, n, Math.min(SPREAD, n)) }] : []),
  ]);
  const scale = new Map<string, { run: Cost[]; floor: Cost[] }>();
  for (let run = 0; run < RUNS; run++) {
    for (const layout of layouts) {
      const name = `${layout.n}/${layout.lessons}`;
      const entry = scale.get(name) ?? { run: [], floor: [] };
      scale.set(name, entry);
      const stateDir = path.join(work, `state-${name.replace('/', '-')}-${run}`);
      entry.run.push(timed([BIN, 'run', layout.dir, '--json', '--state-dir', stateDir], work));
      entry.floor.push(timed([FLOOR, layout.dir], work));
      rmSync(stateDir, { recursive: true, force: true });
    }
  }

  const startupTable = table(
    ['command', 'wall', '× node -e 0', 'CPU', '× node -e 0', 'peak RSS'],
    Object.entries(startupMedians).map(([name, c]) => [name, ms(c.wallMs), ratio(c.wallMs / base.wallMs), ms(c.cpuMs), ratio(c.cpuMs / Math.max(base.cpuMs, 1)), mib(c.rssBytes)]),
  );
  const runOne = startupMedians['lectern run (1 quiz, existing state folder)']!;
  const freshOne = scale.get('1/1') ? medianCost(scale.get('1/1')!.run) : undefined;
  const scaleRows = layouts.map((layout) => {
    const entry = scale.get(`${layout.n}/${layout.lessons}`)!;
    const run = medianCost(entry.run);
    const floor = medianCost(entry.floor);
    return [
      String(layout.n),
      layout.lessons === 1 ? 'one lesson' : `${layout.lessons} lessons`,
      ms(run.wallMs),
      ms(run.cpuMs),
      mib(run.rssBytes),
      ms(floor.cpuMs),
      ratio(run.cpuMs / floor.cpuMs),
      layout.n > 1 && freshOne ? ms((run.wallMs - freshOne.wallMs) / (layout.n - 1)) : '–',
      layout.n > 1 && freshOne ? ms((run.cpuMs - freshOne.cpuMs) / (layout.n - 1)) : '–',
    ];
  });
  const body = [
    provenance(`npm run bench:cli-cost -- --runs ${RUNS} --sizes ${SIZES.join(',')}`, [
      `Medians of ${RUNS} side-by-side runs. CPU = user + system of the process (GNU time), peak RSS its high-water mark.`,
      'The floor: `dist/bench/lib/validate-floor.js` — parseQuiz over the same files in one process (what `lectern run` does for a quiz, without the pipeline, the database or the files it writes).',
    ]),
    '',
    '### Start-up',
    '',
    startupTable,
    '',
    `\`lectern run\` on one quiz in an existing state folder: ${ratio(runOne.wallMs / help.wallMs)} the wall time of \`lectern --help\` (goal ≤ 6×).`,
    '',
    '### N quizzes through `lectern run` (fresh state folder) against the in-process floor',
    '',
    table(['N', 'layout', 'wall', 'CPU', 'peak RSS', 'floor CPU', 'CPU ÷ floor', 'wall per extra upload', 'CPU per extra upload'], scaleRows),
  ].join('\n');
  process.stdout.write(`${body}\n`);
  if (!values['no-write']) updateSection('## CLI cost: start-up and a busy lesson', body);
} finally {
  rmSync(work, { recursive: true, force: true });
}
