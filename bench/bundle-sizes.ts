/**
 * Bundle sizes: packages the `ci` stage (offline) and writes the zip size of every function,
 * against its budget, into the "Bundle sizes" section of BENCHMARKS.md (other sections are left
 * alone). Run: `npx tsx bench/bundle-sizes.ts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleBudget, DEFAULT_BUNDLE_BUDGET, functionLogicalId, packageStage, readTemplate, zipSizes } from '../tests/infra/package-template.js';

/** The goal from the deployment issue: 200 KiB, 1.5 MiB for the two large-parser functions. */
const goal = (name: string): number => (name === 'validatePdf' || name === 'probeVideo' ? 1.5 * 1024 * 1024 : DEFAULT_BUNDLE_BUDGET);
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
      const status = size > budget ? `**over its ceiling by ${kib(size - budget)}**` : size > goal(name) ? `misses the goal by ${kib(size - goal(name))} (documented ceiling ${kib(budget)})` : 'ok';
      return `| ${name} | ${kib(size)} | ${kib(goal(name))} | ${status} | ${memory} |`;
    });
  const over = Object.entries(sizes).filter(([name, size]) => size > bundleBudget(name)).map(([name]) => name);
  return [
    HEADING,
    '',
    'Zip size of each function as `sls package --stage ci` builds it (serverless-esbuild: one minified',
    'ESM bundle per function, AWS SDK v3 bundled and tree-shaken). Goal: 200 KiB per function,',
    '1.5 MiB for validatePdf (pdf.js) and probeVideo (MediaInfoLib WebAssembly). Smaller zips mean faster cold starts.',
    '',
    `- Command: \`npx tsx bench/bundle-sizes.ts\` (runs \`npx sls package --stage ci\`, ${seconds.toFixed(1)} s here)`,
    `- Machine: ${machine()}`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| function | zip | goal | status | memory (MB) |',
    '|---|---:|---:|---|---:|',
    ...rows,
    '',
    over.length === 0 ? 'No function is over its ceiling.' : `Over their ceiling: ${over.join(', ')}.`,
    '',
    'Where the goal is missed, and the next step (ceilings and reasons in `tests/infra/package-template.ts`):',
    '- validateQuiz: five format parsers (gift-pegjs, yaml, @xmldom/xmldom, marked), sanitize-html (htmlparser2, postcss) and zod on top of the S3 client. Next: zod/mini, and load each format\'s parser only for its format.',
    '- upsertCourse: zod (the classic API does not tree-shake) and yaml with S3 and the database. Next: zod/mini for the course schema.',
    '- submitTranscode, pollTranscode: the MediaConvert client beside S3, Step Functions and the database.',
    '- What got the others under: per-function dependencies (each handler builds only the clients its use-case needs), no PGlite or migrator in Lambda bundles, a hand-written config parser instead of zod, the environment credential provider instead of the SDK\'s whole default chain, and the system zip. Using the Lambda runtime\'s AWS SDK instead of bundling it would save ~100 KiB per function; we keep bundling so the SDK that runs is the one tested.',
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
