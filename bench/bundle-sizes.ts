/**
 * Bundle sizes: packages the `ci` stage (offline) and writes the zip size of every function,
 * against its budget, into the "Bundle sizes" section of BENCHMARKS.md (other sections are left
 * alone). Run: `npm run bench:bundle-sizes`.
 */
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { bundleBudget, functionLogicalId, LAYER_NAMES, lambdaEsbuildOptions, packageStage, readTemplate, zipSizes } from '../tests/infra/package-template.js';
import { REPO_ROOT, provenance, updateSection } from './lib/report.js';

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

/** `probeVideo` → `probe-video`. */
const folder = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The three largest packages (or lectern's own folders) in a function's minified bundle. */
async function largestParts(name: string): Promise<string> {
  const result = await build({
    ...lambdaEsbuildOptions(),
    entryPoints: [path.join(REPO_ROOT, 'functions', folder(name), 'handler.ts')],
    write: false,
    metafile: true,
    outfile: path.join(os.tmpdir(), 'lectern-bundle-sizes.mjs'),
  });
  const output = Object.values(result.metafile.outputs)[0];
  const parts = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
    parts.set(pkg, (parts.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...parts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([pkg, bytes]) => `${pkg} ${Math.round(bytes / 1000)}`)
    .join(', ');
}

async function section(): Promise<string> {
  const { seconds } = packageStage('ci');
  const sizes = zipSizes();
  const template = readTemplate();
  const layers: readonly string[] = LAYER_NAMES;
  const functions = Object.keys(sizes).filter((name) => !layers.includes(name)).sort();
  const rows: string[] = [];
  for (const name of functions) {
    const size = sizes[name] ?? 0;
    const budget = bundleBudget(name);
    const memory = template.Resources[functionLogicalId(name)]?.Properties?.MemorySize ?? '';
    const status = size > budget ? `**over by ${kb(size - budget)}**` : 'ok';
    rows.push(`| ${name} | ${kb(size)} | ${kb(budget)} | ${status} | ${memory} | ${await largestParts(name)} |`);
  }
  const over = functions.filter((name) => (sizes[name] ?? 0) > bundleBudget(name));
  return [
    'Zip size of each function as `sls package --stage ci` builds it (serverless-esbuild: one minified',
    "ESM bundle per function; the `@aws-sdk/client-*` packages are the nodejs22.x runtime's, everything else",
    'is bundled). Goal (the deployment issue): 200 KB per function, 1.5 MB for the PDF validator (pdf.js).',
    'Smaller zips deploy faster and start colder functions sooner.',
    '',
    provenance('npm run bench:bundle-sizes', [
      `Packaging: \`npx sls package --stage ci\`, ${seconds.toFixed(1)} s here; the last column bundles each function again with serverless.yml's esbuild options for esbuild's metafile`,
    ]),
    '',
    '| function | zip | budget | status | memory (MB) | largest parts, minified KB |',
    '|---|---:|---:|---|---:|---|',
    ...rows,
    '',
    over.length === 0 ? 'Every function fits its budget (the template tests assert it).' : `Over budget: ${over.join(', ')}.`,
    '',
    '| layer | zip | holds |',
    '|---|---:|---|',
    ...layers.map((layer) => `| ${layer} | ${kb(sizes[layer] ?? 0)} | ${{ mediainfo: "MediaInfoLib's WebAssembly (mediainfo.js), for probeVideo", qpdf: "qpdf's WebAssembly and loader (@neslinesli93/qpdf-wasm), for validatePdf" }[layer] ?? ''} |`),
    '',
    'How they got there (from 390 KB for validateQuiz, 1.1 MB for probeVideo):',
    "- The AWS service clients are the runtime's (left out and `require`d by resources/plugins/esbuild-runtime-sdk.cjs): bundled, each client brought ~100 KB of zipped schemas and protocol code. `runtimeManagement: onFunctionUpdate` keeps the runtime, and its SDK, fixed between deploys, so each deploy's smoke test covers the SDK that runs (docs/deploy.md, 'Which AWS SDK runs').",
    '- zod/mini through a namespace import (shared/util/zod.ts) instead of classic zod: 422 KB → 22 KB minified in validateQuiz and upsertCourse.',
    '- postcss is aliased to a stub: lectern filters style attributes itself, so sanitize-html never calls it.',
    "- MediaInfoLib's WebAssembly ships as the `mediainfo` layer (changes only with mediainfo.js's version) instead of inside probeVideo's zip.",
    '- Earlier: per-function dependencies (each handler builds only the clients its use-case needs), no PGlite or migrator in Lambda bundles, a hand-written config parser, the environment credential provider for the bundled RDS signer, and the system zip.',
    '',
  ].join('\n');
}

const body = await section();
updateSection('## Bundle sizes', body);
process.stdout.write(`${body}\n`);
