/**
 * Runs every corpus PDF through lectern's validator and through two referees, `qpdf --check`
 * (qpdf) and `pdfinfo` (poppler), and writes the agreement table to docs/pdf-corpus-agreement.md.
 * Also bundles the validator as the Lambda is bundled (esbuild, minified) and, with that bundle in
 * a fresh Node process per file, measures time and peak memory for the largest corpus file and
 * for bomb_giant.pdf. For each file it also records whether qpdf's WebAssembly build (the engine
 * the validator judges the object graph with) read the graph, against native qpdf's `--json`.
 *
 *   npm run bench:pdf-agreement            # corpus: $LECTERN_CORPUS or ../shared/corpus
 *
 * Needs qpdf and poppler-utils (apt-get install -y qpdf poppler-utils).
 */

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { readQpdfGraph } from '../shared/pdf/qpdf-engine.js';
import { readRebuiltGraph } from '../shared/pdf/pdf-xref-rebuild.js';
import { PDF_WORK_LIMITS, validatePdf, type PdfVerdict } from '../shared/pdf/validate-pdf.js';
import { REPO_ROOT } from './lib/report.js';

const repoRoot = REPO_ROOT;
const corpusRoot = process.env.LECTERN_CORPUS ?? resolve(repoRoot, '../shared/corpus');
const pdfDir = join(corpusRoot, 'pdf');
const output = join(repoRoot, 'docs/pdf-corpus-agreement.md');

/** Reasons that mean "lectern could not read the document". */
const UNREADABLE = new Set(['pdf.unreadable', 'pdf.not-a-pdf', 'pdf.user-password', 'pdf.timeout', 'pdf.check-failed']);

/**
 * Why a file is a known disagreement, from looking inside it. A disagreement with no entry here
 * is printed as "unexplained" — investigate it.
 */
const EXPLANATIONS: Record<string, string> = {
  'pr6531_2.pdf':
    'The empty string is its *owner* password and the user password is non-empty. qpdf and poppler ' +
    'try the empty password as owner password and open it; pdf.js (Firefox) and Acrobat ask for the ' +
    'user password, so students would see a password prompt: lectern rejects it as pdf.user-password.',
  'Brotli-Prototype-FileA.pdf':
    'Uses the proposed /BrotliDecode filter. pdf.js decodes it; qpdf and poppler cannot. lectern accepts it ' +
    'with a pdf.nonstandard-compression warning, because many viewers will show blank pages.',
  'auth-event-ef-open.pdf':
    '/AuthEvent /EFOpen encrypts only the embedded files; the document opens without a password (poppler ' +
    'agrees). qpdf refuses the whole file. lectern rejects it anyway, for its embedded files.',
  'bug1250079.pdf':
    'No startxref and no %%EOF; qpdf gives up after reconstructing, pdf.js and poppler recover the single ' +
    'page. lectern accepts it with a pdf.damaged-recovered warning.',
  'bomb_giant.pdf':
    'Three of its four content streams are JBIG2 bitmaps (a 100000×100000 decompression bomb) that no ' +
    'reader can use as page content. qpdf reports the undecodable content stream as an error; pdf.js skips ' +
    'those streams (it never decodes JBIG2 without its WASM decoder, which lectern does not load) and reads ' +
    'the real text stream. lectern accepts the page in milliseconds.',
  'poppler-85140-0.pdf':
    'Fuzzed: no startxref and a /Count of 21380408 for a one-page tree. pdf.js reconstructs it and counts ' +
    'the real page; qpdf and poppler fail. lectern accepts it with a pdf.damaged-recovered warning.',
  'issue19484_1.pdf':
    'RC4 with a key shorter than 16 bytes, which needs Acrobat’s undocumented zero-padding. pdf.js ' +
    'implements it and opens the file with the empty user password; qpdf reports an invalid password.',
  'issue15590.pdf':
    'A 191-byte file without xref. qpdf recovers it, pdfinfo gives up (exit 99); pdf.js recovers the page. ' +
    'lectern rejects it for its JavaScript OpenAction.',
  'issue9105_other.pdf':
    'Header "%PDF-1." without a version digit, no xref: qpdf and pdf.js recover the page, pdfinfo does not.',
  'Pages-tree-refs.pdf':
    'A /Kids entry points back at an ancestor, so the page tree is a loop. qpdf reports the loop; pdf.js ' +
    'counts 2 pages but cannot load page 2; poppler lists 2 pages without loading them. lectern rejects it ' +
    '(pdf.unreadable) because students would not see page 2.',
  'issue7229.pdf':
    'Its older xref section (reached through /Prev) starts at "1 7" although its first entry is the free ' +
    'entry of object 0, so every offset in it is off by one object. qpdf checks every section; lectern’s ' +
    'pre-check reads only the newest one (which is correct), and pdf.js and poppler recover both pages. ' +
    'A missed damaged-recovered warning, not a wrong verdict.',
  'encrypted-attachment.pdf':
    'pdfinfo reports "Encrypted: no" and opens it, but it has an AES-256 /Encrypt dictionary whose user ' +
    'password pdf.js needs (its own test passes "000000"). lectern rejects it (user password, embedded files).',
};

/** Damage qpdf warns about that no viewer cares about, so lectern does not warn. */
const BENIGN_QPDF_WARNING = /hint table|reported number of objects|linearization|linearized file contains/i;

interface Referee {
  rc: number | null;
  firstMessage: string;
}

function run(command: string, args: string[]): Referee & { stdout: string } {
  const file = args.at(-1)!;
  const result = spawnSync(command, args, { timeout: 60_000, maxBuffer: 8 * 1024 * 1024, encoding: 'latin1' });
  const lines = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(WARNING|ERROR|qpdf:|Syntax Error|Command Line Error|Internal Error)/.test(line));
  const message = lines.find((line) => !/^qpdf: (operation succeeded|errors detected)/.test(line)) ?? lines[0] ?? '';
  const shown = message.replaceAll(`${file}: `, '').replaceAll(file, basename(file)).replace(/\|/g, '\\|');
  return { rc: result.status, firstMessage: shown.slice(0, 160), stdout: result.stdout ?? '' };
}

function qpdfCheck(file: string): Referee {
  return run('qpdf', ['--check', file]);
}

function pdfinfo(file: string): Referee & { pages?: number } {
  const result = run('pdfinfo', [file]);
  const pages = /^Pages:\s+(\d+)/m.exec(result.stdout)?.[1];
  return { rc: result.rc, firstMessage: result.firstMessage, ...(pages ? { pages: Number(pages) } : {}) };
}

function codes(reasons: PdfVerdict['reasons']): string {
  return reasons.map((r) => r.code.replace(/^pdf\./, '')).join(', ') || '—';
}

interface Measurement {
  ms: number;
  cpuMs: number;
  baselineRssMiB: number;
  peakRssMiB: number;
  verdict: string;
}

/** Runs in the child: loads the bundle, then validates one file and prints one JSON line. */
const CHILD = `
const { validatePdf } = await import(process.env.BENCH_BUNDLE);
const { readFileSync } = await import('node:fs');
const bytes = new Uint8Array(readFileSync(process.env.BENCH_FILE));
const engine = { qpdfDir: process.env.BENCH_QPDF_DIR };
await validatePdf(new Uint8Array(0), undefined, engine);
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
const started = performance.now();
const cpuStarted = process.cpuUsage();
const verdict = await validatePdf(bytes, undefined, engine);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
const codes = (list) => list.map((r) => r.code.slice(4)).join(', ') || '—';
console.log(JSON.stringify({
  ms: Math.round(ms),
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  baselineRssMiB: Math.round(baseline / 2 ** 20),
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  verdict: (verdict.ok ? 'accepted' : 'rejected') + ' (reasons: ' + codes(verdict.reasons) + '; warnings: ' + codes(verdict.warnings) + ')',
}));
`;

/** Validates one file with the bundle in a fresh process and reports time and peak RSS. */
function measureInChild(bundle: string, qpdfDir: string, file: string): Measurement {
  const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, BENCH_BUNDLE: bundle, BENCH_QPDF_DIR: qpdfDir, BENCH_FILE: file },
  });
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Measurement;
  } catch {
    throw new Error(`measurement of ${file} failed: ${result.stderr || line}`);
  }
}

/** The validator bundled as serverless-esbuild bundles the Lambda, in a folder with no node_modules. */
async function bundleValidator(dir: string): Promise<{ path: string; bytes: number; gzipBytes: number }> {
  const path = join(dir, 'validate-pdf.mjs');
  await build({
    entryPoints: [join(repoRoot, 'shared/pdf/validate-pdf.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: path,
    logLevel: 'silent',
  });
  const code = readFileSync(path);
  return { path, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}% (${part}/${whole})`;
}

async function main(): Promise<void> {
  if (!existsSync(pdfDir)) throw new Error(`corpus not found at ${pdfDir}; set LECTERN_CORPUS`);
  for (const tool of ['qpdf', 'pdfinfo']) {
    if (spawnSync(tool, ['--version']).error) throw new Error(`${tool} is not installed (apt-get install -y qpdf poppler-utils)`);
  }
  const files = readdirSync(pdfDir).filter((name) => name.toLowerCase().endsWith('.pdf')).sort();
  const loadBefore = loadavg()[0] as number;
  const rows: string[] = [];
  const disagreements: string[] = [];
  let accepted = 0;
  let qpdfAgree = 0;
  let pdfinfoAgree = 0;
  let damageCompared = 0;
  let damageAgree = 0;
  let pagesCompared = 0;
  let pagesAgree = 0;
  let slowest = { name: '', ms: 0 };
  /** Files whose object graph qpdf's WebAssembly did not give the validator. */
  const withoutGraph: string[] = [];
  /** Files whose graph qpdf's WebAssembly read only from the copy with a rebuilt cross-reference table. */
  const rebuiltGraph: string[] = [];
  let graphRead = 0;

  for (const name of files) {
    const path = join(pdfDir, name);
    const bytes = new Uint8Array(readFileSync(path));
    const started = performance.now();
    const verdict = await validatePdf(bytes);
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { name, ms };
    if (verdict.ok) accepted++;
    const qpdf = qpdfCheck(path);
    const info = pdfinfo(path);
    const qpdfOptions = { heapLimitBytes: PDF_WORK_LIMITS.qpdfHeapBytes };
    const graph = await readQpdfGraph(bytes, qpdfOptions);
    // What the validator does when qpdf-wasm gives no graph: rebuild the xref and read the copy.
    const rebuilt = graph.status === 'failed' ? await readRebuiltGraph(bytes, qpdfOptions) : undefined;
    const rebuiltRead = rebuilt?.status === 'rebuilt' && rebuilt.graph.status === 'read';
    if (graph.status === 'read') graphRead++;
    const graphCell =
      graph.status === 'read'
        ? graph.warnings.length > 0
          ? 'read, repaired'
          : 'read'
        : graph.status === 'password'
          ? 'needs a password'
          : rebuiltRead
            ? 'read after rebuilding the xref'
            : graph.status;
    if (graph.status !== 'read' && graph.status !== 'password') {
      const nativeJson = spawnSync('qpdf', ['--json=2', '--json-stream-data=none', path], { timeout: 60_000, maxBuffer: 256 * 1024 * 1024, encoding: 'latin1' });
      const wasmSays = (graph.status === 'failed' || graph.status === 'engine-failed' ? graph.message : graph.status).replace(/\|/g, '\\|');
      const native = nativeJson.status === 0 ? 'reads it' : nativeJson.status === 3 ? 'reads it after reconstructing the cross-reference table (exit 3)' : `fails too (exit ${nativeJson.status})`;
      if (rebuilt?.status === 'rebuilt' && rebuilt.graph.status === 'read') {
        const from = { trailer: 'its last trailer', 'xref-stream': 'its largest cross-reference stream', catalog: 'its catalog (no trailer)', none: '—' }[rebuilt.source];
        rebuiltGraph.push(
          `| ${name.replace(/#/g, '\\#')} | ${wasmSays.slice(0, 110)} | ${native} | ${rebuilt.graph.objects.size} objects, root from ${from} | ${codes(verdict.reasons)} / ${codes(verdict.warnings)} |`,
        );
      } else {
        const why = rebuilt === undefined ? '' : rebuilt.status === 'rebuilt' ? `; rebuilt copy: ${rebuilt.graph.status === 'failed' ? rebuilt.graph.message : rebuilt.graph.status}` : `; not rebuilt: ${rebuilt.why}`;
        const used = verdict.reasons.some((r) => UNREADABLE.has(r.code)) ? 'rejected as unreadable by pdf.js' : 'pdf.js and the raw scan';
        withoutGraph.push(`| ${name.replace(/#/g, '\\#')} | ${`${wasmSays}${why.replace(/\|/g, '\\|')}`.slice(0, 200)} | ${native} | ${used} | ${codes(verdict.reasons)} / ${codes(verdict.warnings)} |`);
      }
    }

    const lecternReads = !verdict.reasons.some((r) => UNREADABLE.has(r.code));
    const qpdfReads = qpdf.rc === 0 || qpdf.rc === 3;
    const pdfinfoReads = info.rc === 0;
    if (lecternReads === qpdfReads) qpdfAgree++;
    if (lecternReads === pdfinfoReads) pdfinfoAgree++;

    const notes: string[] = [];
    if (lecternReads !== qpdfReads) notes.push(`readability vs qpdf (qpdf ${qpdfReads ? 'reads' : 'fails'})`);
    if (lecternReads !== pdfinfoReads) notes.push(`readability vs pdfinfo (pdfinfo ${pdfinfoReads ? 'reads' : 'fails'})`);
    if (lecternReads && qpdfReads) {
      damageCompared++;
      const lecternDamaged = verdict.warnings.concat(verdict.reasons).some((r) => r.code === 'pdf.damaged-recovered');
      const qpdfDamaged = qpdf.rc === 3 && !BENIGN_QPDF_WARNING.test(qpdf.firstMessage);
      if (lecternDamaged === qpdfDamaged) damageAgree++;
      else notes.push(`damage vs qpdf (qpdf: ${qpdfDamaged ? 'damaged' : 'clean'})`);
    }
    if (info.pages !== undefined && verdict.metadata.pageCount !== undefined) {
      pagesCompared++;
      if (info.pages === verdict.metadata.pageCount) pagesAgree++;
      else notes.push(`pages: pdfinfo ${info.pages}, lectern ${verdict.metadata.pageCount}`);
    }
    if (notes.length > 0) {
      const why = EXPLANATIONS[name] ?? (qpdf.firstMessage ? `qpdf says: “${qpdf.firstMessage}”.` : 'unexplained — investigate.');
      disagreements.push(`- **${name}** — ${notes.join('; ')}. ${why}`);
    }
    rows.push(
      `| ${name.replace(/#/g, '\\#')} | ${verdict.ok ? 'accepted' : '**rejected**'} | ${codes(verdict.reasons)} | ` +
        `${codes(verdict.warnings)} | ${verdict.metadata.pageCount ?? '—'} | ${Math.round(ms)} | ${qpdf.rc} | ` +
        `${info.rc === 0 ? (info.pages ?? '?') : `rc ${info.rc}`} | ${graphCell} | ${notes.length > 0 ? 'differs' : 'agrees'} |`,
    );
  }

  const largest = files.reduce((a, b) => (statSync(join(pdfDir, a)).size >= statSync(join(pdfDir, b)).size ? a : b));
  const featured = [...new Set([largest, 'bomb_giant.pdf'].filter((name) => files.includes(name)))];
  const workDir = mkdtempSync(join(tmpdir(), 'lectern-pdf-bench-'));
  const bundle = await bundleValidator(workDir);
  // qpdf's WebAssembly and its loader, as the Lambda's qpdf layer holds them (/opt there).
  const layerDir = join(workDir, 'qpdf-layer');
  mkdirSync(layerDir);
  const wasmPackage = dirname(createRequire(import.meta.url).resolve('@neslinesli93/qpdf-wasm'));
  let layerBytes = 0;
  for (const file of ['qpdf.js', 'qpdf.wasm']) {
    copyFileSync(join(wasmPackage, file), join(layerDir, file));
    layerBytes += statSync(join(layerDir, file)).size;
  }
  const measured = featured.map((name) => ({
    name,
    size: statSync(join(pdfDir, name)).size,
    ...measureInChild(bundle.path, layerDir, join(pdfDir, name)),
  }));
  rmSync(workDir, { recursive: true, force: true });

  const loadAfter = loadavg()[0] as number;
  const qpdfVersion = spawnSync('qpdf', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  const popplerVersion = spawnSync('pdfinfo', ['-v'], { encoding: 'utf8' }).stderr.split('\n')[0];
  const doc = `# PDF corpus agreement

Generated by \`npm run bench:pdf-agreement\` — do not edit by hand. Policy: the defaults
(see [pdf-validation.md](pdf-validation.md)). Corpus: \`${relative(repoRoot, pdfDir)}\` (${files.length} PDFs from
pdf.js's test suite). Referees: ${qpdfVersion}; pdfinfo ${popplerVersion}. Node ${process.version}.
Machine: ${cpus().length} cores, load average ${loadBefore.toFixed(1)} when the run started and ${loadAfter.toFixed(1)} when
it ended — times below are wall-clock and stretch with the load; the verdicts do not depend on it.

## Summary

- lectern **accepted ${accepted}** and **rejected ${files.length - accepted}** of ${files.length} files.
- **Readability** (can the document be opened without a password? lectern: no \`unreadable\`,
  \`not-a-pdf\`, \`user-password\` or \`timeout\` reason; qpdf: \`--check\` exit 0 or 3; pdfinfo: exit 0):
  agreement with qpdf **${percent(qpdfAgree, files.length)}**, with pdfinfo **${percent(pdfinfoAgree, files.length)}**.
- **Damage** (among files both lectern and qpdf read: lectern's \`damaged-recovered\` warning vs qpdf exit 3,
  ignoring qpdf warnings about linearization hint tables and object counts, which viewers ignore):
  agreement **${percent(damageAgree, damageCompared)}**.
- **Page count** vs pdfinfo, where both read the file: **${percent(pagesAgree, pagesCompared)}**.
- Slowest file: ${slowest.name}, ${Math.round(slowest.ms)} ms (in one process, after warm-up of the previous files).

Readability is compared rather than acceptance: lectern also rejects files that are perfectly readable
(JavaScript, Launch actions, attachments), which no referee judges.

## Bundle, time and memory

The validator bundled like the Lambda (\`esbuild --bundle --minify --platform=node --format=esm
--target=node22\`): **${(bundle.bytes / 2 ** 20).toFixed(2)} MiB** minified, **${(bundle.gzipBytes / 2 ** 20).toFixed(2)} MiB**
gzipped (the zip limit is 1.5 MB), plus qpdf's WebAssembly and loader (**${(layerBytes / 2 ** 20).toFixed(2)} MiB**, the \`qpdf\` layer on
Lambda). Each file below was validated with that bundle and that layer folder in a fresh Node process,
from a folder without \`node_modules\` (as on Lambda, where pdf.js's optional \`@napi-rs/canvas\` is absent).

| file | size | time | CPU | RSS before | peak RSS | verdict |
|---|---|---|---|---|---|---|
${measured.map((m) => `| ${m.name} | ${(m.size / 2 ** 20).toFixed(2)} MiB | ${m.ms} ms | ${m.cpuMs} ms | ${m.baselineRssMiB} MiB | ${m.peakRssMiB} MiB | ${m.verdict} |`).join('\n')}

"RSS before" is the process after loading Node and the bundle; the difference to the peak is what
validating the file cost.

## Files read after rebuilding the cross-reference table

qpdf's WebAssembly build read the object graph of **${graphRead} of ${files.length}** files directly;
${files.length - graphRead - withoutGraph.length - rebuiltGraph.length} more need a user password (qpdf-wasm reports it; lectern rejects them as \`user-password\` or
reads them where pdf.js opens them with the empty password). Where native qpdf "reads it after
reconstructing", the WebAssembly build stops at the first damage: it prints the same first problem
native qpdf prints, but never "Attempting to reconstruct cross-reference table", and exits 2 — also
with \`--check\`, and also for a stream whose \`/Length\` is wrong. The likely cause, from qpdf-wasm's
build script (not confirmed by rebuilding it): Emscripten's exception catching
(\`-sNO_DISABLE_EXCEPTION_CATCHING=1\`) is passed only to the final link, with the command-line front
end, not to the compilation of the qpdf library, so the \`catch\` inside qpdf's parser that starts the
reconstruction does not run and the exception reaches the front end.

So lectern rebuilds the table itself, as qpdf's \`reconstruct_xref\` does (\`shared/pdf/pdf-xref-rebuild.ts\`,
[pdf-validation.md](pdf-validation.md)), and qpdf-wasm reads the repaired copy. For the **${rebuiltGraph.length}** below
that gave the graph the policy ran on (every finding counting, reachable or not, and a
\`damaged-recovered\` warning):

| file | qpdf-wasm says | native qpdf \`--json\` | rebuilt graph | lectern reasons / warnings |
|---|---|---|---|---|
${rebuiltGraph.join('\n')}

## Files judged without qpdf's object graph

For the **${withoutGraph.length}** below neither the file nor its rebuilt copy gave a graph, and the validator
judged them on what pdf.js resolves plus the raw scan, counting every finding of either — reachable or
not, since a damaged file may be read differently by other viewers.

| file | qpdf-wasm says | native qpdf \`--json\` | lectern judged it with | lectern reasons / warnings |
|---|---|---|---|---|
${withoutGraph.join('\n')}

## Disagreements

${disagreements.length > 0 ? disagreements.join('\n') : 'None.'}

## Every file

| file | lectern | reasons | warnings | pages | ms | qpdf rc | pdfinfo pages | qpdf-wasm graph | referees |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
  writeFileSync(output, doc);
  console.log(`wrote ${relative(process.cwd(), output)}: accepted ${accepted}/${files.length}, ` +
    `qpdf readability agreement ${percent(qpdfAgree, files.length)}`);
  console.log(`bundle: ${bundle.bytes} bytes, gzip ${bundle.gzipBytes} bytes`);
  for (const m of measured) console.log(`${m.name}: ${m.ms} ms, peak RSS ${m.peakRssMiB} MiB (baseline ${m.baselineRssMiB} MiB)`);
}

await main();
