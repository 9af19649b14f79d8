/**
 * Bundle sizes: packages the `ci` stage (offline) and writes the zip size of every function,
 * against its budget, into the "Bundle sizes" section of BENCHMARKS.md (other sections are left
 * alone). Run: `npx tsx bench/bundle-sizes.ts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleBudget, functionLogicalId, packageStage, readTemplate, zipSizes } from '../tests/infra/package-template.js';
import { REPO_ROOT } from '../tests/infra/state-machine-helpers.js';

const BENCHMARKS = path.join(REPO_ROOT, 'BENCHMARKS.md');
const HEADING = '## Bundle sizes';

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function machine(): string {
  let cpus = String(os.cpus().length);
  try {
    cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // nproc missing: os.cpus() is the same figure on Linux
  }
  const memory = `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`;
  return `Node ${process.version}, ${cpus} CPUs (nproc), ${memory} memory, ${os.platform()} ${os.arch()}`;
}

function section(): string {
  const { seconds } = packageStage('ci');
  const sizes = zipSizes();
  const template = readTemplate();
  const rows = Object.keys(sizes)
    .sort()
    .map((name) => {
      const size = sizes[name] ?? 0;
      const budget = bundleBudget(name);
      const memory = template.Resources[functionLogicalId(name)]?.Properties?.MemorySize ?? '';
      return `| ${name} | ${kib(size)} | ${kib(budget)} | ${size <= budget ? 'ok' : `**over by ${kib(size - budget)}**`} | ${memory} |`;
    });
  const over = Object.entries(sizes).filter(([name, size]) => size > bundleBudget(name)).map(([name]) => name);
  return [
    HEADING,
    '',
    'Zip size of each function as `sls package --stage ci` builds it (serverless-esbuild: one minified',
    'ESM bundle per function, AWS SDK v3 bundled and tree-shaken). Budget: 200 KiB per function,',
    '1.5 MiB for validatePdf (pdf.js) and probeVideo (MediaInfoLib WebAssembly). Smaller zips mean faster cold starts.',
    '',
    `- Command: \`npx tsx bench/bundle-sizes.ts\` (runs \`npx sls package --stage ci\`, ${seconds.toFixed(1)} s here)`,
    `- Machine: ${machine()}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| function | zip | budget | status | memory (MB) |',
    '|---|---:|---:|---|---:|',
    ...rows,
    '',
    over.length === 0 ? 'Every function is within its budget.' : `Over budget: ${over.join(', ')}.`,
    '',
  ].join('\n');
}

function update(markdown: string, replacement: string): string {
  const start = markdown.indexOf(`${HEADING}\n`);
  if (start === -1) return `${markdown.trimEnd()}${markdown.trim() ? '\n\n' : ''}${replacement}`;
  const next = markdown.indexOf('\n## ', start + HEADING.length);
  const end = next === -1 ? markdown.length : next + 1;
  return `${markdown.slice(0, start)}${replacement}${next === -1 ? '' : `\n${markdown.slice(end)}`}`;
}

const fresh = section();
const current = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, 'utf8') : '# Benchmarks\n';
writeFileSync(BENCHMARKS, update(current, fresh));
process.stdout.write(fresh);
