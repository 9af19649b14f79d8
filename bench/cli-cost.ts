/**
 * What a user of the command pays, measured on the command itself (`bin/lectern.js`, the compiled
 * JavaScript in dist/), each figure a median of side-by-side runs so that load from other
 * processes falls on all of them alike:
 *
 *  (b) start-up: `node -e 0`, `lectern --help`, the in-process floor on one quiz, `lectern run` on
 *      one new quiz in an existing state folder and in a fresh one, `lectern dev` until it serves,
 *      and `lectern run` while `lectern dev` serves the folder (the run hands its upload to dev) —
 *      wall, CPU and peak RSS, as ratios to `node -e 0`, and issue #18's goals met or missed;
 *  (a) `lectern run` on N quizzes (fresh state folder) in one lesson and spread over lessons,
 *      against the in-process floor: the same validation (parseQuiz) of the same files in one
 *      process — wall, CPU and peak RSS, and the cost per upload.
 *
 *   npm run bench:cli-cost -- [--runs 3] [--sizes 1,100,1000] [--spread 101] [--history 100] [--part all|startup|lesson] [--compare <git ref>] [--state-root <dir>] [--no-write]
 *
 * `--compare <ref>`: the command of another commit too (built in a temporary worktree), each of its
 * runs interleaved with this one's, so that the two are compared under the same load — on a busy
 * or noisy machine (disk writeback, other work), ratios from different runs do not compare.
 *
 * `--state-root <dir>`: where the state folders and course files go (default: the OS temporary
 * folder, as a user's folder on disk). A run with `--state-root /dev/shm` tells how much of a figure
 * is the code and how much the disk: a busy lesson creates ~10,000 files, and file creation costs
 * 10× more on some disks than in memory.
 *
 * The "existing" state folder of (b) already holds --history uploads (one earlier run), as a
 * folder in use does: start-up that grows with a folder's history shows.
 *
 * Each part rewrites its own section of BENCHMARKS.md. CPU and peak RSS come from GNU time
 * (`/usr/bin/time`); `lectern dev`'s from /proc when it first answers.
 */
import './lib/quiet.js';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../tests/helpers/free-port.js';
import { REPO_ROOT, median, mib, ms, provenance, ratio, table, updateSection } from './lib/report.js';
import { addWorktree, shortName } from './lib/worktree.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '1,100,1000' },
    spread: { type: 'string', default: '101' },
    part: { type: 'string', default: 'all' },
    history: { type: 'string', default: '100' },
    compare: { type: 'string' },
    'state-root': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const SIZES = values.sizes.split(',').map(Number);
const SPREAD = Number(values.spread);
const PART = values.part;
const HISTORY = Number(values.history);
if (!['all', 'startup', 'lesson'].includes(PART)) throw new Error(`--part is all, startup or lesson, not ${PART}`);
const BIN = path.join(REPO_ROOT, 'bin/lectern.js');
const FLOOR = path.join(REPO_ROOT, 'dist/bench/lib/validate-floor.js');
const PGLITE_ALONE = path.join(REPO_ROOT, 'dist/bench/lib/pglite-open.js');
const NODE = process.execPath;
const ENV = { ...process.env, LECTERN_LOG_LEVEL: 'SILENT' };

/** The command of another commit (--compare), built in a worktree under `work`; removed by `remove()`. */
function commandAt(ref: string, work: string): { bin: string; name: string; remove: () => void } {
  const tree = path.join(work, 'compare-tree');
  const name = shortName(ref);
  const remove = addWorktree(ref, tree);
  try {
    execFileSync(NODE, ['scripts/build.mjs'], { cwd: tree, stdio: 'ignore' });
  } catch (error) {
    remove();
    throw error;
  }
  return { bin: path.join(tree, 'bin/lectern.js'), name, remove };
}
const work = mkdtempSync(path.join(values['state-root'] ?? tmpdir(), 'lectern-cli-cost-'));
/** Set when --compare is given: the other commit's command. */
const OTHER = values.compare ? commandAt(values.compare, work) : undefined;

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
async function devUntilServing(bin: string, stateDir: string): Promise<Cost> {
  return whileDevServes(bin, stateDir, async (cost) => cost);
}

/** Starts `lectern dev` on `stateDir`, calls `work` with its cost once it serves, then stops it. */
async function whileDevServes<T>(bin: string, stateDir: string, work: (untilServing: Cost, pid: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(NODE, [bin, 'dev', '--port', String(port), '--state-dir', stateDir], { env: ENV, stdio: 'ignore' });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`lectern dev exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const wallMs = performance.now() - started;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    return await work({ wallMs, cpuMs: processCpuMs(child.pid!), rssBytes: Number(hwm) * 1024 }, child.pid!);
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** A live process's CPU so far (user + system, from /proc; 10 ms ticks). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(stat[11]) + Number(stat[12])) * 10; // utime, stime (fields 14, 15)
}

/** Idle `lectern dev`: 5 s after it serves (its first full listing done), its CPU over the next 10 s. */
const IDLE_SETTLE_MS = 5000;
const IDLE_WINDOW_MS = 10_000;
async function devIdleCpu(bin: string, stateDir: string): Promise<number> {
  return whileDevServes(bin, stateDir, async (_cost, pid) => {
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const before = processCpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
    return processCpuMs(pid) - before;
  });
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

/** Issue #18's start-up goals. */
const GOAL_HELP = 6;
const GOAL_FLOOR = 2;
const GOAL_RSS_MIB = 300;
/** Issue #18's busy-lesson goals. */
const GOAL_WALL_PER_UPLOAD_MS = 10;
const GOAL_BUSY_FLOOR = 3;
const GOAL_PER_UPLOAD_GROWTH = 1.2;
const GOAL_ONE_VS_SPREAD = 1.1;

const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');
const command = `npm run bench:cli-cost -- --runs ${RUNS}${PART === 'startup' ? '' : ` --sizes ${SIZES.join(',')}`}${PART === 'lesson' ? '' : ` --history ${HISTORY}`}${PART === 'all' ? '' : ` --part ${PART}`}${values.compare ? ` --compare ${values.compare}` : ''}${values['state-root'] ? ` --state-root ${values['state-root']}` : ''}`;
/** The provenance header, taken now: its machine line gives the load at the start. */
const header = provenance(command);

/** (b) Start-up, side by side per run. Returns the section's body and the largest RSS of a quiz-only run. */
async function startupPart(work: string): Promise<{ body: string; quizRss: Array<[string, number]> }> {
  // One state folder made beforehand with --history uploads (which also fills Node's compile
  // cache): "existing" runs are later runs in a folder in use. Each run publishes a new quiz.
  const existing = path.join(work, 'existing');
  mkdirSync(path.join(work, 'one'), { recursive: true });
  mkdirSync(path.join(work, 'floor-one'), { recursive: true });
  timed([BIN, 'run', courseFolder(path.join(work, 'history'), Math.max(1, HISTORY), 1), '--json', '--state-dir', existing], work);
  const otherExisting = path.join(work, 'existing-other');
  if (OTHER) timed([OTHER.bin, 'run', path.join(work, 'history'), '--json', '--state-dir', otherExisting], work);
  const names = {
    base: 'node -e 0',
    help: 'lectern --help',
    floor: 'in-process floor (parseQuiz, 1 quiz)',
    pglite: 'PGlite alone: open the existing folder\'s database, one statement, close',
    existing: `lectern run (1 quiz, existing state folder of ${Math.max(1, HISTORY)} uploads)`,
    fresh: 'lectern run (1 quiz, fresh state folder)',
    dev: 'lectern dev (until serving)',
    viaDev: 'lectern run (1 quiz, existing state folder, while `lectern dev` serves it)',
    otherExisting: `lectern run (1 quiz, existing state folder) at ${OTHER?.name ?? '–'}`,
    otherFresh: `lectern run (1 quiz, fresh state folder) at ${OTHER?.name ?? '–'}`,
    otherDev: `lectern dev (until serving) at ${OTHER?.name ?? '–'}`,
  } as const;
  const costs = Object.fromEntries(Object.keys(names).map((k) => [k, [] as Cost[]])) as Record<keyof typeof names, Cost[]>;
  for (let run = 0; run < RUNS; run++) {
    writeFileSync(path.join(work, `one/q${run}.gift`), quiz(run + 1));
    writeFileSync(path.join(work, 'floor-one/q.gift'), quiz(run + 1));
    const fresh = path.join(work, `fresh-${run}`);
    costs.base.push(timed(['-e', '0'], work));
    costs.help.push(timed([BIN, '--help'], work));
    costs.floor.push(timed([FLOOR, 'floor-one'], work));
    costs.pglite.push(timed([PGLITE_ALONE, existing], work));
    costs.existing.push(timed([BIN, 'run', `one/q${run}.gift`, '--course', 'bench', '--lesson', 'startup', '--state-dir', existing], work));
    costs.fresh.push(timed([BIN, 'run', `one/q${run}.gift`, '--course', 'bench', '--lesson', 'startup', '--state-dir', fresh], work));
    costs.dev.push(await devUntilServing(BIN, existing));
    rmSync(fresh, { recursive: true, force: true });
    if (OTHER) {
      costs.otherExisting.push(timed([OTHER.bin, 'run', `one/q${run}.gift`, '--course', 'bench', '--lesson', 'startup', '--state-dir', otherExisting], work));
      costs.otherFresh.push(timed([OTHER.bin, 'run', `one/q${run}.gift`, '--course', 'bench', '--lesson', 'startup', '--state-dir', fresh], work));
      costs.otherDev.push(await devUntilServing(OTHER.bin, otherExisting));
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  // While `lectern dev` serves the folder, `lectern run` hands its uploads to dev's local API
  // (local/state-folder.ts) and opens neither the database nor the pipeline itself.
  await whileDevServes(BIN, existing, async () => {
    for (let run = 0; run < RUNS; run++) {
      writeFileSync(path.join(work, `one/dev${run}.gift`), quiz(run + 101));
      costs.viaDev.push(timed([BIN, 'run', `one/dev${run}.gift`, '--course', 'bench', '--lesson', 'startup', '--state-dir', existing], work));
    }
  });
  // An idle `lectern dev` on the same folder, once each (a 10 s window is itself an average).
  const idle = [{ name: 'lectern dev, idle', cpuMs: await devIdleCpu(BIN, existing) }];
  if (OTHER) idle.push({ name: `lectern dev, idle, at ${OTHER.name}`, cpuMs: await devIdleCpu(OTHER.bin, otherExisting) });
  const m = Object.fromEntries(Object.entries(costs).filter(([, c]) => c.length > 0).map(([k, c]) => [k, medianCost(c)])) as Record<keyof typeof names, Cost>;
  const rows = (Object.keys(names) as Array<keyof typeof names>).filter((k) => costs[k].length > 0).map((k) => [
    names[k],
    ms(m[k].wallMs),
    ratio(m[k].wallMs / m.base.wallMs),
    ms(m[k].cpuMs),
    ratio(m[k].cpuMs / Math.max(m.base.cpuMs, 1)),
    mib(m[k].rssBytes),
  ]);
  const quizRss: Array<[string, number]> = [
    [`${names.existing}, largest of ${RUNS}`, Math.max(...costs.existing.map((c) => c.rssBytes))],
    [`${names.fresh}, largest of ${RUNS}`, Math.max(...costs.fresh.map((c) => c.rssBytes))],
  ];
  const helpRatio = m.existing.wallMs / m.help.wallMs;
  const viaDevRatio = m.viaDev.wallMs / m.help.wallMs;
  const floorCpu = m.existing.cpuMs / m.floor.cpuMs;
  const floorWall = m.existing.wallMs / m.floor.wallMs;
  const pgliteRatio = m.pglite.wallMs / m.help.wallMs;
  const body = [
    '',
    table(['command', 'wall', '× node -e 0', 'CPU', '× node -e 0', 'peak RSS'], rows),
    '',
    `\`lectern dev\` serving the same folder of ${Math.max(1, HISTORY)} uploads, idle (nothing dropped in): its CPU over ${IDLE_WINDOW_MS / 1000} s, from ${IDLE_SETTLE_MS / 1000} s after it first answers.`,
    '',
    table(['command', `CPU per ${IDLE_WINDOW_MS / 1000} s`, 'share of one core'], idle.map((i) => [i.name, ms(i.cpuMs), `${((100 * i.cpuMs) / IDLE_WINDOW_MS).toFixed(1)} %`])),
    '',
    '| goal (#18) | measured | |',
    '|---|---:|---|',
    `| \`lectern run\` (1 quiz, existing state folder of ${Math.max(1, HISTORY)} uploads) ≤ ${GOAL_HELP}× the wall time of \`lectern --help\` | ${ratio(helpRatio)} | ${verdict(helpRatio <= GOAL_HELP)} |`,
    `| (what the embedded database alone costs: PGlite opened and closed, against \`lectern --help\`, wall) | ${ratio(pgliteRatio)} | ${pgliteRatio <= GOAL_HELP ? 'under the goal' : 'over the goal on its own'} |`,
    `| the same run ≤ ${GOAL_FLOOR}× the in-process floor of the same validation, CPU | ${ratio(floorCpu)} | ${verdict(floorCpu <= GOAL_FLOOR)} |`,
    `| the same run ≤ ${GOAL_FLOOR}× the in-process floor, wall | ${ratio(floorWall)} | ${verdict(floorWall <= GOAL_FLOOR)} |`,
    `| the same run while \`lectern dev\` serves the folder ≤ ${GOAL_HELP}× the wall time of \`lectern --help\` (the run's own process; dev does the work) | ${ratio(viaDevRatio)} | ${verdict(viaDevRatio <= GOAL_HELP)} |`,
  ].join('\n');
  return { body, quizRss };
}

/** (a) N quizzes in one lesson and spread over lessons, against the floor; side by side per run. */
function lessonPart(work: string): { body: string; quizRss: Array<[string, number]> } {
  const layouts = SIZES.flatMap((n) => [
    { n, lessons: 1, dir: courseFolder(work, n, 1) },
    ...(n > 1 ? [{ n, lessons: Math.min(SPREAD, n), dir: courseFolder(work, n, Math.min(SPREAD, n)) }] : []),
  ]);
  const scale = new Map<string, { run: Cost[]; floor: Cost[]; other: Cost[] }>();
  for (let run = 0; run < RUNS; run++) {
    for (const layout of layouts) {
      const name = `${layout.n}/${layout.lessons}`;
      const entry = scale.get(name) ?? { run: [], floor: [], other: [] };
      scale.set(name, entry);
      const stateDir = path.join(work, `state-${name.replace('/', '-')}-${run}`);
      entry.run.push(timed([BIN, 'run', layout.dir, '--json', '--state-dir', stateDir], work));
      entry.floor.push(timed([FLOOR, layout.dir], work));
      rmSync(stateDir, { recursive: true, force: true });
      if (OTHER) {
        entry.other.push(timed([OTHER.bin, 'run', layout.dir, '--json', '--state-dir', stateDir], work));
        rmSync(stateDir, { recursive: true, force: true });
      }
    }
  }
  const freshOne = scale.get('1/1') ? medianCost(scale.get('1/1')!.run) : undefined;
  const medians = new Map(layouts.map((layout) => {
    const entry = scale.get(`${layout.n}/${layout.lessons}`)!;
    return [`${layout.n}/${layout.lessons}`, { run: medianCost(entry.run), floor: medianCost(entry.floor), ...(entry.other.length > 0 ? { other: medianCost(entry.other) } : {}) }];
  }));
  /** What one more upload costs: the run less the one-quiz run, over the extra uploads. */
  const perExtra = (n: number, lessons: number, of: 'wallMs' | 'cpuMs'): number | undefined => {
    const run = medians.get(`${n}/${lessons}`)?.run;
    return run && freshOne && n > 1 ? (run[of] - freshOne[of]) / (n - 1) : undefined;
  };
  const scaleRows = layouts.map((layout) => {
    const { run, floor } = medians.get(`${layout.n}/${layout.lessons}`)!;
    const wallPer = perExtra(layout.n, layout.lessons, 'wallMs');
    const cpuPer = perExtra(layout.n, layout.lessons, 'cpuMs');
    return [
      String(layout.n),
      layout.lessons === 1 ? 'one lesson' : `${layout.lessons} lessons`,
      ms(run.wallMs),
      ms(run.cpuMs),
      mib(run.rssBytes),
      ms(floor.wallMs),
      ms(floor.cpuMs),
      ratio(run.wallMs / floor.wallMs),
      ratio(run.cpuMs / floor.cpuMs),
      wallPer === undefined ? '–' : ms(wallPer),
      cpuPer === undefined ? '–' : ms(cpuPer),
    ];
  });
  const quizRss = layouts.map((layout): [string, number] => [
    `\`lectern run\` on ${layout.n} quizzes (${layout.lessons === 1 ? 'one lesson' : `${layout.lessons} lessons`}), largest of ${RUNS}`,
    Math.max(...scale.get(`${layout.n}/${layout.lessons}`)!.run.map((c) => c.rssBytes)),
  ]);
  // Issue #18's busy-lesson goals, where the sizes they name were measured.
  const big = Math.max(...SIZES);
  const mid = SIZES.filter((n) => n > 1 && n < big).at(-1);
  const spreadBig = Math.min(SPREAD, big);
  const goals: string[] = [];
  const bigOne = medians.get(`${big}/1`);
  const wallPerBig = perExtra(big, 1, 'wallMs');
  if (bigOne && wallPerBig !== undefined) {
    goals.push(`| ${big} quizzes in one lesson: ≤ ${GOAL_WALL_PER_UPLOAD_MS} ms wall per upload (per extra upload over the one-quiz run; all of it ÷ ${big}: ${ms(bigOne.run.wallMs / big)}) | ${ms(wallPerBig)} | ${verdict(wallPerBig <= GOAL_WALL_PER_UPLOAD_MS)} |`);
    const floorRatio = bigOne.run.cpuMs / bigOne.floor.cpuMs;
    goals.push(`| ${big} quizzes in one lesson: ≤ ${GOAL_BUSY_FLOOR}× the floor's CPU | ${ratio(floorRatio)} | ${verdict(floorRatio <= GOAL_BUSY_FLOOR)} |`);
  }
  const cpuPerBig = perExtra(big, 1, 'cpuMs');
  const cpuPerMid = mid === undefined ? undefined : perExtra(mid, 1, 'cpuMs');
  if (cpuPerBig !== undefined && cpuPerMid !== undefined) {
    const growth = cpuPerBig / cpuPerMid;
    goals.push(`| CPU per extra upload in one lesson at N = ${big} within ${GOAL_PER_UPLOAD_GROWTH}× of N = ${mid} (${ms(cpuPerBig)} vs ${ms(cpuPerMid)}) | ${ratio(growth)} | ${verdict(growth <= GOAL_PER_UPLOAD_GROWTH)} |`);
  }
  const bigSpread = medians.get(`${big}/${spreadBig}`);
  if (bigOne && bigSpread && spreadBig > 1) {
    const cpu = bigOne.run.cpuMs / bigSpread.run.cpuMs;
    const wall = bigOne.run.wallMs / bigSpread.run.wallMs;
    goals.push(`| ${big} quizzes in one lesson within ${GOAL_ONE_VS_SPREAD}× of the same files over ${spreadBig} lessons, CPU | ${ratio(cpu)} | ${verdict(cpu <= GOAL_ONE_VS_SPREAD)} |`);
    goals.push(`| the same, wall | ${ratio(wall)} | ${verdict(wall <= GOAL_ONE_VS_SPREAD)} |`);
  }
  const otherRows = OTHER
    ? layouts.map((layout) => {
        const { run, other } = medians.get(`${layout.n}/${layout.lessons}`)!;
        return [String(layout.n), layout.lessons === 1 ? 'one lesson' : `${layout.lessons} lessons`, ms(other!.wallMs), ms(other!.cpuMs), mib(other!.rssBytes), ratio(run.wallMs / other!.wallMs), ratio(run.cpuMs / other!.cpuMs)];
      })
    : [];
  const body = [
    '',
    table(['N', 'layout', 'wall', 'CPU', 'peak RSS', 'floor wall', 'floor CPU', 'wall ÷ floor', 'CPU ÷ floor', 'wall per extra upload', 'CPU per extra upload'], scaleRows),
    ...(OTHER ? ['', `The same runs at ${OTHER.name} (--compare), interleaved with the above:`, '', table(['N', 'layout', 'wall', 'CPU', 'peak RSS', `wall, this ÷ ${OTHER.name}`, `CPU, this ÷ ${OTHER.name}`], otherRows)] : []),
    ...(goals.length > 0 ? ['', '| goal (#18) | measured | |', '|---|---:|---|', ...goals] : []),
  ].join('\n');
  return { body, quizRss };
}

/** The peak-RSS goal over every quiz-only run measured: the worst one decides. */
function rssGoal(quizRss: Array<[string, number]>): string {
  const [worstName, worst] = quizRss.reduce((a, b) => (b[1] > a[1] ? b : a));
  return `| peak RSS of a quiz-only run ≤ ${GOAL_RSS_MIB} MiB (the largest: ${worstName}) | ${mib(worst)} | ${verdict(worst <= GOAL_RSS_MIB * 1024 ** 2)} |`;
}

try {
  const startup = PART === 'lesson' ? undefined : await startupPart(work);
  const lessonStarted = performance.now();
  const lesson = PART === 'startup' ? undefined : lessonPart(work);
  const lessonMinutes = (performance.now() - lessonStarted) / 60_000;
  const loads = `1-minute load average at the end: ${loadavg()[0]!.toFixed(1)}.`;
  const floorNote = 'The floor: `dist/bench/lib/validate-floor.js` — parseQuiz over the same files in one process (what `lectern run` does for a quiz, without the pipeline, the database or the files it writes).';
  // What both sections say before their tables.
  const preamble = [header, `- Medians of ${RUNS} side-by-side runs; ${loads} CPU = user + system of the process (GNU time), peak RSS its high-water mark.`, `- ${floorNote}`];
  const sections: Array<[string, string]> = [];
  if (startup) {
    sections.push([
      '## CLI cost: start-up',
      [
        ...preamble,
        startup.body,
        rssGoal([...startup.quizRss, ...(lesson?.quizRss ?? [])]),
      ].join('\n'),
    ]);
  }
  if (lesson) {
    sections.push([
      '## CLI cost: a busy lesson',
      [
        ...preamble,
        '',
        `\`lectern run\` on N quizzes (fresh state folder, its default \`--concurrency 4\`) against the in-process floor; "per extra upload" is the run less the one-quiz run, over N − 1. This part took ${lessonMinutes.toFixed(1)} min.`,
        lesson.body,
      ].join('\n'),
    ]);
  }
  for (const [heading, body] of sections) {
    process.stdout.write(`${heading}\n\n${body}\n\n`);
    if (!values['no-write']) updateSection(heading, body);
  }
} finally {
  OTHER?.remove();
  rmSync(work, { recursive: true, force: true });
}
