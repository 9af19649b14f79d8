/**
 * Cold start, per function: the bundle serverless-esbuild makes (esbuild with serverless.yml's
 * `custom.esbuild` options: one minified ESM bundle, AWS SDK included, tree-shaken) — its size
 * and its deflated size (what the zip holds) — and the time a fresh Node 22 process takes to
 * import it, against the same for an empty handler bundled the same way. Median of N runs, the
 * functions taken round-robin so that load from other processes falls on all of them alike.
 *
 *   npx tsx bench/cold-start.ts [--runs 15]
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
import { build } from 'esbuild';
import { REPO_ROOT, median, ms, provenance, ratio, table, updateSection } from './lib/report.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Math.max(3, Number(values.runs));

/** serverless.yml `custom.esbuild`, as serverless-esbuild passes it to esbuild. */
const ESBUILD_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: false,
  format: 'esm' as const,
  platform: 'node' as const,
  target: 'node22',
  outExtension: { '.js': '.mjs' },
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire as __lecternCreateRequire } from 'node:module'; const require = __lecternCreateRequire(import.meta.url);" },
  legalComments: 'none' as const,
  treeShaking: true,
  logLevel: 'error' as const,
};

/** serverless.yml's function name for a handler folder: `validate-pdf` → `validatePdf`. */
const functionName = (folder: string) => folder.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const PROBE = `
const started = performance.now();
const m = await import(process.argv[1]);
const imported = performance.now() - started;
if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); }
process.stdout.write(JSON.stringify({ imported }));
`;

interface Sample {
  inside: number;
  process: number;
}

function importOnce(bundle: string): Sample {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(bundle).href], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1', NODE_OPTIONS: '' },
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
    const bundles = new Map<string, { file: string; bytes: number; deflated: number }>();
    for (const { name, entry } of entries) {
      const outdir = path.join(work, name.replace(/[^a-zA-Z]/g, '') || 'empty');
      await build({ ...ESBUILD_OPTIONS, entryPoints: { handler: entry }, outdir });
      const file = path.join(outdir, 'handler.mjs');
      const bytes = readFileSync(file);
      bundles.set(name, { file, bytes: bytes.length, deflated: deflateRawSync(bytes, { level: 9 }).length });
    }
    const samples = new Map<string, Sample[]>(entries.map((e) => [e.name, []]));
    for (const e of entries) importOnce(bundles.get(e.name)!.file); // page cache, first-run effects
    for (let run = 0; run < RUNS; run++) {
      for (const e of entries) samples.get(e.name)!.push(importOnce(bundles.get(e.name)!.file));
      process.stderr.write(`cold-start: run ${run + 1}/${RUNS}\n`);
    }
    const base = samples.get('(empty handler)')!;
    const baseInside = median(base.map((s) => s.inside));
    const baseProcess = median(base.map((s) => s.process));
    const rows = entries.map(({ name }) => {
      const b = bundles.get(name)!;
      const s = samples.get(name)!;
      const inside = median(s.map((x) => x.inside));
      const life = median(s.map((x) => x.process));
      return [
        name,
        `${(b.bytes / 1024).toFixed(1)} KiB`,
        `${(b.deflated / 1024).toFixed(1)} KiB`,
        ms(inside),
        name === '(empty handler)' ? '–' : `+${ms(inside - baseInside)}`,
        ms(life),
        name === '(empty handler)' ? '–' : ratio(life / baseProcess),
      ];
    });
    const body = [
      "Each function bundled as `sls package` bundles it (esbuild with serverless.yml's `custom.esbuild` options: minified ESM, AWS SDK v3 bundled and tree-shaken),",
      'against an empty handler bundled the same way. Import: `await import(bundle)` timed inside a fresh `node` process (module loading, compiling and top-level code — what',
      "a Lambda cold start adds before the first invocation); process: that child's whole life, spawn to exit. Medians; the functions are taken round-robin.",
      'Zip sizes as packaged (with the budget) are in "Bundle sizes" above; "deflated" here is the bundle alone compressed as a zip member would be.',
      '',
      provenance('npx tsx bench/cold-start.ts', [`Runs: ${RUNS} per function, after one warm-up run each`]),
      '',
      table(['function', 'bundle', 'deflated', 'import (median)', 'over the empty handler', 'process (median)', 'process / empty'], rows),
    ].join('\n');
    updateSection('## Cold start', body);
    process.stdout.write(`${body}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
