/**
 * PDF validation: throughput and peak memory of lectern's validator (ValidatePdf's pure core:
 * pre-check, raw scan, pdf.js) against `qpdf --check` on the same files in the same run, over the
 * shared corpus (`$LECTERN_CORPUS/pdf`, default ../shared/corpus) and generated large PDFs.
 *
 *   npm run bench:pdf -- [--runs 3] [--no-large]
 *
 * - Validation time is measured inside a Node process that already loaded the validator (a warm
 *   Lambda container): each file `runs` times, median. qpdf's time is its whole process (fork,
 *   exec, check), median of `runs`; its start-up is a few milliseconds, which is what a C++
 *   binary costs to start, so the comparison favours nobody much — both columns are printed.
 * - Peak memory: one fresh child process per file (the validator bundled with esbuild, as the
 *   Lambda is, run by plain `node`), its high-water RSS; and qpdf's, from GNU time's `%M`.
 * Writes the "PDF validation" section of BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { LARGE_PDFS, largePdf } from './lib/large-pdfs.js';
import { bundlePdfChild } from './lib/pdf-bundle.js';
import { lzwZeros } from '../tests/helpers/hostile-pdf.js';
import { buildPdf } from '../tests/helpers/make-pdf.js';
import { REPO_ROOT, median, mib, ms, provenance, ratio, table, updateSection } from './lib/report.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'no-large': { type: 'boolean', default: false } } });
const RUNS = Math.max(1, Number(values.runs));
const CORPUS = path.resolve(REPO_ROOT, process.env.LECTERN_CORPUS ?? '../shared/corpus');
const TIMEOUT_MS = 180_000;

interface ChildLine {
  file: string;
  ms: number;
  ok: boolean;
  codes: string[];
  pages: number | null;
  peakRssKiB: number;
}

function bundleChild(dir: string): Promise<string> {
  return bundlePdfChild(REPO_ROOT, path.join(dir, 'pdf-child.mjs'));
}

const QPDF_DIR = path.join(REPO_ROOT, 'node_modules/@neslinesli93/qpdf-wasm/dist');

function runChild(child: string, files: string[]): { lines: ChildLine[]; peakRssKiB: number; baseRssKiB: number; cpuMs: number; status: number | null } {
  const result = spawnSync(process.execPath, [child, ...files], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS * Math.max(1, files.length),
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, LECTERN_QPDF_DIR: QPDF_DIR },
  });
  const lines = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ChildLine & { done?: boolean; baseRssKiB?: number; cpuMs?: number });
  const done = lines.find((l) => l.done);
  return {
    lines: lines.filter((l) => !l.done),
    peakRssKiB: done?.peakRssKiB ?? Number.NaN,
    baseRssKiB: done?.baseRssKiB ?? Number.NaN,
    cpuMs: done?.cpuMs ?? Number.NaN,
    status: result.status,
  };
}

/** qpdf --check under GNU time: wall time measured here, peak RSS (KiB) and CPU time from `%M %U %S`. */
function runQpdf(file: string): { ms: number; rc: number | null; peakRssKiB: number; cpuMs: number } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', 'qpdf', '--check', file], { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 });
  const elapsed = performance.now() - started;
  const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr ?? '');
  return { ms: elapsed, rc: result.status, peakRssKiB: Number(m?.[1] ?? Number.NaN), cpuMs: (Number(m?.[2]) + Number(m?.[3])) * 1000 };
}

/** A process that does nothing, timed the same way: the floor under qpdf's figure. */
function runTrue(): number {
  const started = performance.now();
  spawnSync('/usr/bin/time', ['-f', '%M', 'true']);
  return performance.now() - started;
}

interface FileResult {
  file: string;
  name: string;
  bytes: number;
  pages: number | null;
  verdict: string;
  lecternMs: number;
  /** Validation time in a fresh process (the first file a container sees: pdf.js not yet JIT-compiled). */
  lecternColdMs: number;
  /** CPU time of that whole fresh process (start-up and module loading included). */
  lecternColdCpuMs: number;
  lecternChildPeakMiB: number;
  lecternChildOverBaseMiB: number;
  qpdfMs: number;
  qpdfRc: number | null;
  qpdfPeakMiB: number;
  qpdfCpuMs: number;
}

async function measure(files: string[], child: string): Promise<FileResult[]> {
  // Warm validation times: one process (a warm container), a first pass over every file to warm
  // the JIT and the page cache, then `RUNS` passes; median per file.
  const warm = new Map<string, number[]>();
  const verdicts = new Map<string, ChildLine>();
  const { lines } = runChild(child, Array.from({ length: RUNS + 1 }, () => files).flat());
  lines.slice(files.length).forEach((line) => {
    warm.set(line.file, [...(warm.get(line.file) ?? []), line.ms]);
    verdicts.set(line.file, line);
  });
  const results: FileResult[] = [];
  for (const file of files) {
    const fresh = runChild(child, [file]);
    const q = Array.from({ length: RUNS }, () => runQpdf(file));
    const line = verdicts.get(file);
    results.push({
      file,
      name: path.basename(file),
      bytes: statSync(file).size,
      pages: line?.pages ?? null,
      verdict: line ? (line.ok ? 'accepted' : `rejected (${line.codes.join(', ')})`) : `no verdict (exit ${fresh.status})`,
      lecternMs: median(warm.get(file) ?? [Number.NaN]),
      lecternColdMs: fresh.lines[0]?.ms ?? Number.NaN,
      lecternColdCpuMs: fresh.cpuMs,
      lecternChildPeakMiB: fresh.peakRssKiB / 1024,
      lecternChildOverBaseMiB: (fresh.peakRssKiB - fresh.baseRssKiB) / 1024,
      qpdfMs: median(q.map((x) => x.ms)),
      qpdfRc: q[0]!.rc,
      qpdfPeakMiB: Math.max(...q.map((x) => x.peakRssKiB)) / 1024,
      qpdfCpuMs: median(q.map((x) => x.cpuMs)),
    });
  }
  return results;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Decompression bombs, one per filter chain: written to `dir`, each validated in a fresh process. */
function bombs(dir: string, child: string): string[][] {
  const MiB = 1024 * 1024;
  const page = (stream: Uint8Array, filter: string) =>
    buildPdf({
      1: '<< /Type /Catalog /Pages 2 0 R >>',
      2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
      4: { dict: `<< /Filter ${filter} >>`, stream },
    });
  const zeros = deflateSync(Buffer.alloc(1024 * MiB));
  const rle = Buffer.alloc(2 * 8 * MiB);
  for (let i = 0; i < rle.length; i += 2) rle[i] = 129;
  const cases: Array<[string, Uint8Array]> = [
    ['Flate, 1 GiB of zeros', page(zeros, '/FlateDecode')],
    ['LZW (~1.1 GB)', page(lzwZeros(150), '/LZWDecode')],
    ['ASCIIHex + Flate (1 GiB)', page(new TextEncoder().encode(`${zeros.toString('hex')}>`), '[/ASCIIHexDecode /FlateDecode]')],
    ['Flate + RunLength (1 GiB)', page(deflateSync(rle), '[/FlateDecode /RunLengthDecode]')],
    ['Flate in an object stream (1 GiB)', buildPdf({ 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: '<< /Type /Pages /Kids [] /Count 0 >>', 3: { dict: '<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>', stream: zeros } })],
  ];
  return cases.map(([name, bytes]) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.pdf`);
    writeFileSync(file, bytes);
    const started = performance.now();
    const run = runChild(child, [file]);
    const elapsed = performance.now() - started;
    const line = run.lines[0];
    return [
      name,
      mib(bytes.length),
      line ? (line.ok ? 'accepted' : `rejected (${line.codes.join(', ')})`) : `no verdict (exit ${run.status})`,
      ms(line?.ms ?? elapsed),
      `${(run.peakRssKiB / 1024).toFixed(0)} MiB (+${((run.peakRssKiB - run.baseRssKiB) / 1024).toFixed(0)})`,
    ];
  });
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'lectern-bench-pdf-'));
  try {
    const child = await bundleChild(work);
    const pdfDir = path.join(CORPUS, 'pdf');
    const corpusFiles = readdirSync(pdfDir)
      .filter((f) => f.toLowerCase().endsWith('.pdf'))
      .sort()
      .map((f) => path.join(pdfDir, f));
    process.stderr.write(`pdf bench: ${corpusFiles.length} corpus files from ${pdfDir}\n`);
    const spawnFloorMs = median(Array.from({ length: 15 }, runTrue));
    const corpus = await measure(corpusFiles, child);
    process.stderr.write('pdf bench: decompression bombs…\n');
    const bombRows = bombs(work, child);
    let large: FileResult[] = [];
    if (!values['no-large']) {
      process.stderr.write('pdf bench: generating large PDFs (cached)…\n');
      const largeFiles = LARGE_PDFS.map(largePdf);
      large = await measure(largeFiles, child);
    }

    const corpusBytes = sum(corpus.map((r) => r.bytes));
    const lecternTotal = sum(corpus.map((r) => r.lecternMs));
    const qpdfTotal = sum(corpus.map((r) => r.qpdfMs));
    const lecternColdTotal = sum(corpus.map((r) => r.lecternColdMs));
    const qpdfNetTotal = sum(corpus.map((r) => Math.max(0, r.qpdfMs - spawnFloorMs)));
    const perFileRatios = corpus.map((r) => r.lecternMs / r.qpdfMs);
    const slower = corpus.filter((r) => r.lecternMs > r.qpdfMs);
    const peakCorpus = corpus.reduce((a, b) => (b.lecternChildPeakMiB > a.lecternChildPeakMiB ? b : a));
    const accepted = corpus.filter((r) => r.verdict === 'accepted').length;

    const fmtRow = (r: FileResult) => [
      r.name,
      mib(r.bytes),
      r.pages ?? '–',
      r.verdict.length > 48 ? `${r.verdict.slice(0, 45)}…` : r.verdict,
      ms(r.lecternMs),
      ms(r.lecternColdMs),
      ms(r.qpdfMs),
      ratio(r.lecternMs / r.qpdfMs),
      `${r.lecternChildPeakMiB.toFixed(0)} MiB (+${r.lecternChildOverBaseMiB.toFixed(0)})`,
      `${r.qpdfPeakMiB.toFixed(0)} MiB`,
    ];
    const header = ['file', 'size', 'pages', 'lectern verdict', 'lectern warm', 'lectern cold', 'qpdf --check', 'ratio', 'lectern peak RSS (over start)', 'qpdf peak RSS'];
    const slowest = [...corpus].sort((a, b) => b.lecternMs / b.qpdfMs - a.lecternMs / a.qpdfMs).slice(0, 8);
    const largest = large.length ? large[large.length - 1]! : undefined;

    const body = [
      'ValidatePdf\'s core (`shared/pdf/validate-pdf.ts`: pre-check, raw scan, qpdf\'s object graph in WebAssembly, pdf.js) against `qpdf --check` on the same files in the same run.',
      'lectern warm: validation time inside a Node 22 process that has already validated every file once (a warm Lambda container), median of the runs;',
      'lectern cold: the same in a fresh process for each file (the first PDF a container sees: pdf.js not yet compiled by the JIT; module loading excluded — see Cold start).',
      'qpdf: the whole `qpdf --check FILE` process, median of the runs (a process that does nothing costs',
      `${ms(spawnFloorMs)} to start here; that is included in qpdf's figures). Peak RSS: one fresh process per file —`,
      'the validator bundled with esbuild as the Lambda is and run by plain `node` (in brackets: above the RSS the process had before reading the file), qpdf under GNU time.',
      '',
      provenance('npm run bench:pdf', [`Runs per file: ${RUNS}`, `Corpus: ${corpusFiles.length} PDFs, ${mib(corpusBytes)} (${path.relative(REPO_ROOT, pdfDir) || pdfDir})`]),
      '',
      '### Corpus',
      '',
      table(
        ['', 'lectern', 'qpdf --check', 'ratio (lectern / qpdf)'],
        [
          ['total time, all files (lectern warm)', ms(lecternTotal), ms(qpdfTotal), ratio(lecternTotal / qpdfTotal)],
          ['total time, each file in a fresh process (lectern cold)', ms(lecternColdTotal), ms(qpdfTotal), ratio(lecternColdTotal / qpdfTotal)],
          [
            'CPU time, one whole process per file (start-up and module loading included)',
            ms(sum(corpus.map((r) => r.lecternColdCpuMs))),
            ms(sum(corpus.map((r) => r.qpdfCpuMs))),
            ratio(sum(corpus.map((r) => r.lecternColdCpuMs)) / sum(corpus.map((r) => r.qpdfCpuMs))),
          ],
          ['files/s', (corpus.length / (lecternTotal / 1000)).toFixed(1), (corpus.length / (qpdfTotal / 1000)).toFixed(1), ''],
          ['MiB/s', (corpusBytes / 1024 ** 2 / (lecternTotal / 1000)).toFixed(1), (corpusBytes / 1024 ** 2 / (qpdfTotal / 1000)).toFixed(1), ''],
          ['median per-file ratio', '', '', ratio(median(perFileRatios))],
          ['files where lectern is slower', `${slower.length} of ${corpus.length}`, '', ''],
          ['peak RSS (largest of any file)', `${peakCorpus.lecternChildPeakMiB.toFixed(0)} MiB (${peakCorpus.name})`, `${Math.max(...corpus.map((r) => r.qpdfPeakMiB)).toFixed(0)} MiB`, ''],
        ],
      ),
      '',
      `Verdicts: ${accepted} accepted, ${corpus.length - accepted} rejected (encrypted with a user password, JavaScript, Launch, attachments, broken), none without a verdict.`,
      `qpdf's time without its process start (${ms(spawnFloorMs)} each): ${ms(qpdfNetTotal)} in total, ratio ${ratio(lecternTotal / qpdfNetTotal)}.`,
      '',
      'The files where the ratio is worst:',
      '',
      table(header, slowest.map(fmtRow)),
      '',
      ...(large.length
        ? [
            '### Large generated PDFs',
            '',
            `Generated by \`bench/lib/large-pdfs.ts\` (cached in \`$LECTERN_BENCH_CACHE\`, default \`${path.join('$TMPDIR', 'lectern-bench-pdfs')}\`): text-only pages, and pages with a noise image each (uncompressed, so the size is real).`,
            '',
            table(header, large.map(fmtRow)),
            '',
            largest
              ? `**Memory:** a ${mib(largest.bytes)} PDF (${largest.pages ?? '?'} pages) is validated in ${largest.lecternChildPeakMiB.toFixed(0)} MiB peak RSS (${largest.lecternChildOverBaseMiB.toFixed(0)} MiB above the process's start), about ${(largest.lecternChildOverBaseMiB / (largest.bytes / 1024 ** 2)).toFixed(1)}× the file size: the file is read whole, and pdf.js is given its own copy. validatePdf's Lambda has 1769 MB, so the pipeline's 200 MiB PDF limit fits.`
              : '',
            '',
          ]
        : []),
      '### Decompression bombs',
      '',
      'Each bomb written by the bench and validated in a fresh process (the bundled validator under plain `node`); peak RSS is the',
      "process's high-water mark, in brackets above its RSS before reading the file. The budgets: 128 MiB per stream, 512 MiB per file, qpdf's heap 384 MiB.",
      '',
      table(['bomb', 'size', 'verdict', 'time', 'peak RSS (over start)'], bombRows),
      '',
      '<details><summary>Every corpus file</summary>',
      '',
      table(header, corpus.map(fmtRow)),
      '',
      '</details>',
    ].join('\n');
    updateSection('## PDF validation', body);
    process.stdout.write(`${body}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
