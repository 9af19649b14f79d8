/**
 * Cold start, per function: the bundle serverless-esbuild makes (esbuild with serverless.yml's
 * `custom.esbuild` options: one minified ESM bundle; the AWS SDK clients are the runtime's, loaded
 * from node_modules as the runtime loads its own) — its size
 * and its deflated size (what the zip holds) — and the time a fresh Node 22 process takes to
 * import it, against the same for an empty handler bundled the same way. Median of N runs, the
 * functions taken round-robin so that load from other processes falls on all of them alike.
 *
 *   npm run bench:cold-start -- [--runs 5]      (~3 min on an idle 2-core machine: 26 functions × 2 bundles × 6 imports)
 *
 * The first invocation (client set-up, first DB connection, first document) is bench/cold-invoke.ts.
 *
 * Import time is measured inside the child (`performance.now()` around `await import(bundle)`)
 * and as the child's whole life (spawn to exit, measured here), both medians.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { installRuntimeSdk, lambdaEsbuildOptions } from '../tests/infra/package-template.js';
import { REPO_ROOT, median, ms, provenance, ratio, table, updateSection } from './lib/report.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(3, Number(values.runs));

/** serverless.yml `custom.esbuild`, as serverless-esbuild passes it to esbuild. */
const ESBUILD_OPTIONS = lambdaEsbuildOptions();

/** serverless.yml's function name for a handler folder: `validate-pdf` → `validatePdf`. */
const functionName = (folder: string) => folder.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const PROBE = `
const started = performance.now();
const m = await import(process.argv[1]);
const imported = performance.now() - started;
if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); }
process.stdout.write(JSON.stringify({ imported }));
`;

/** Where the runtime's SDK clients are (NODE_PATH of every child, as on Lambda). */
let runtimeNodeModules = '';

interface Sample {
  inside: number;
  process: number;
}

function importOnce(bundle: string): Sample {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(bundle).href], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NODE_PATH: runtimeNodeModules, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1', NODE_OPTIONS: '' },
    timeout: 60_000,
  });
  const life = performance.now() - started;
  if (result.status !== 0) throw new Error(`importing ${bundle} failed (${result.status}): ${result.stderr}`);
  const { imported } = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { imported: number };
  return { inside: imported, process: life };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'lectern-bench-cold-'));
  try {
    // The bundles import the AWS SDK clients the runtime provides (esbuild `external`).
    runtimeNodeModules = installRuntimeSdk(work);
    const folders = readdirSync(path.join(REPO_ROOT, 'functions'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && statSync(path.join(REPO_ROOT, 'functions', e.name, 'handler.ts'), { throwIfNoEntry: false }))
      .map((e) => e.name)
      .sort();
    const empty = path.join(work, 'empty-handler.ts');
    writeFileSync(empty, 'export const handler = async (): Promise<unknown> => ({});\n');
    const entries: Array<{ name: string; entry: string }> = [
      { name: '(empty handler)', entry: empty },
      ...folders.map((f) => ({ name: functionName(f), entry: path.join(REPO_ROOT, 'functions', f, 'handler.ts') })),
    ];
    // Each function twice: as packaged (the runtime's SDK clients, loaded from node_modules) and
    // with the SDK clients bundled too (what serverless.yml did before; zips ~100 KB bigger).
    const modes: Array<{ key: string; options: BuildOptions }> = [
      { key: 'packaged', options: ESBUILD_OPTIONS },
      { key: 'sdk-bundled', options: { ...ESBUILD_OPTIONS, plugins: [] } },
    ];
    const bundles = new Map<string, { file: string; bytes: number; deflated: number }>();
    for (const { name, entry } of entries) {
      for (const mode of modes) {
        const outdir = path.join(work, `${name.replace(/[^a-zA-Z]/g, '') || 'empty'}-${mode.key}`);
        await build({ ...mode.options, entryPoints: { handler: entry }, outdir });
        const file = path.join(outdir, 'handler.mjs');
        const bytes = readFileSync(file);
        bundles.set(`${name} ${mode.key}`, { file, bytes: bytes.length, deflated: deflateRawSync(bytes, { level: 9 }).length });
      }
    }
    const keys = [...bundles.keys()];
    const samples = new Map<string, Sample[]>(keys.map((k) => [k, []]));
    for (const k of keys) importOnce(bundles.get(k)!.file); // page cache, first-run effects
    for (let run = 0; run < RUNS; run++) {
      for (const k of keys) samples.get(k)!.push(importOnce(bundles.get(k)!.file));
      process.stderr.write(`cold-start: run ${run + 1}/${RUNS}\n`);
    }
    const inside = (k: string) => median(samples.get(k)!.map((x) => x.inside));
    const life = (k: string) => median(samples.get(k)!.map((x) => x.process));
    const baseInside = inside('(empty handler) packaged');
    const baseProcess = life('(empty handler) packaged');
    const rows = entries.map(({ name }) => {
      const packaged = `${name} packaged`;
      const bundled = `${name} sdk-bundled`;
      const b = bundles.get(packaged)!;
      const empty = name === '(empty handler)';
      return [
        name,
        `${(b.bytes / 1024).toFixed(1)} KiB`,
        `${(b.deflated / 1024).toFixed(1)} KiB`,
        ms(inside(packaged)),
        empty ? '–' : `+${ms(inside(packaged) - baseInside)}`,
        ms(life(packaged)),
        empty ? '–' : ratio(life(packaged) / baseProcess),
        empty ? '–' : `${(bundles.get(bundled)!.deflated / 1024).toFixed(1)} KiB`,
        empty ? '–' : ms(inside(bundled)),
      ];
    });
    const costs = entries.filter((e) => e.name !== '(empty handler)').map(({ name }) => inside(`${name} packaged`) - inside(`${name} sdk-bundled`));
    const body = [
      "Each function bundled as `sls package` bundles it (esbuild with serverless.yml's `custom.esbuild` options, read from the file: minified ESM; the `@aws-sdk/client-*` packages are the runtime's, loaded unbundled through NODE_PATH as Lambda loads its own),",
      'against an empty handler bundled the same way. Import: `await import(bundle)` timed inside a fresh `node` process (module loading, compiling and top-level code — what',
      "a Lambda cold start adds before the first invocation); process: that child's whole life, spawn to exit. Medians; the functions are taken round-robin.",
      'Zip sizes as packaged (with the budget) are in "Bundle sizes" above; "deflated" here is the bundle alone compressed as a zip member would be.',
      'The last two columns bundle the SDK clients into the function as well (the alternative to the runtime\'s copies): bigger, but one file to load.',
      '',
      provenance('npm run bench:cold-start', [`Runs: ${RUNS} per function and way, after one warm-up run each`]),
      '',
      table(['function', 'bundle', 'deflated', 'import (median)', 'over the empty handler', 'process (median)', 'process / empty', 'SDK bundled: deflated', 'SDK bundled: import'], rows),
      '',
      `The trade-off: the runtime's SDK clients keep every zip under 200 KB but, loaded from node_modules, add ${ms(median(costs))} (median over the functions; ${ms(Math.min(...costs))}–${ms(Math.max(...costs))}) to each cold start here compared with bundling them — loaded with \`require()\` (resources/plugins/esbuild-runtime-sdk.cjs), which spares Node the export scan an \`import\` of a CommonJS package costs. lectern's functions run inside an asynchronous pipeline whose slowest step (MediaConvert) takes minutes, so it takes the smaller zips; a latency-sensitive deployment can bundle the SDK by removing the esbuild plugin from serverless.yml (the template test's zip budgets would then need raising).`,
    ].join('\n');
    updateSection('## Cold start', body);
    process.stdout.write(`${body}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
