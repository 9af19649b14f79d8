/**
 * The hostile-input sweep over everything: the whole shared corpus (PDFs, quizzes, and the AWS
 * samples — events, job settings, a zip — treated as uploads too) plus the generated hostile files
 * of bench/lib/hostile.ts, one at a time through the local pipeline (PGlite), each within a time
 * limit. Every file must get a verdict — published or rejected, never failed — with no unhandled
 * error and no hang; the process's peak RSS is reported, and the files that raised it most.
 *
 *   npm run bench:reliability-hostile -- [--timeout-ms 60000]
 *
 * Writes the "Reliability: hostile input" section of BENCHMARKS.md; exits 1 when any file has no
 * verdict.
 */
import './lib/quiet.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalStack } from '../local/local-stack.js';
import { corpusFiles, generatedHostileFiles, sweep, type SweepVerdict } from './lib/hostile.js';
import { REPO_ROOT, mib, ms, provenance, table, updateSection } from './lib/report.js';

const { values } = parseArgs({ options: { 'timeout-ms': { type: 'string', default: '60000' } } });
const TIMEOUT_MS = Number(values['timeout-ms']);
const CORPUS = path.resolve(REPO_ROOT, process.env.LECTERN_CORPUS ?? '../shared/corpus');

const stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-bench-hostile-'));
try {
  const files = [...corpusFiles(CORPUS), ...(await generatedHostileFiles())];
  const stack = await openLocalStack({ stateDir, retryIntervalMs: 1 });
  const baseRss = process.memoryUsage().rss;
  let done = 0;
  const report = await sweep(stack, files, {
    timeoutMs: TIMEOUT_MS,
    concurrency: 1,
    onVerdict: (v) => {
      done++;
      if (v.verdict !== 'published' && v.verdict !== 'rejected') process.stderr.write(`hostile: ${v.verdict} ${v.name}: ${v.detail ?? ''}\n`);
      if (done % 25 === 0) process.stderr.write(`hostile: ${done}/${files.length}\n`);
    },
  });
  await stack.close();

  const groups = new Map<string, SweepVerdict[]>();
  for (const v of report.verdicts) groups.set(v.group, [...(groups.get(v.group) ?? []), v]);
  const count = (vs: SweepVerdict[], verdict: SweepVerdict['verdict']) => vs.filter((v) => v.verdict === verdict).length;
  const rows = [...groups.entries()].map(([group, vs]) => [
    group,
    vs.length,
    count(vs, 'published'),
    count(vs, 'rejected'),
    count(vs, 'failed') + count(vs, 'timeout') + count(vs, 'threw'),
    ms(Math.max(...vs.map((v) => v.ms))),
    mib(Math.max(...vs.map((v) => v.rssGrowthMiB)) * 1024 ** 2),
  ]);
  const all = report.verdicts;
  const bad = all.filter((v) => v.verdict !== 'published' && v.verdict !== 'rejected');
  const heaviest = [...all].sort((a, b) => b.rssGrowthMiB - a.rssGrowthMiB).slice(0, 6);
  const slowest = [...all].sort((a, b) => b.ms - a.ms).slice(0, 6);
  const codes = new Map<string, number>();
  for (const v of all) if (v.verdict === 'rejected' && v.code) codes.set(v.code, (codes.get(v.code) ?? 0) + 1);

  const body = [
    'Every file of the shared corpus (PDFs, quizzes, and the AWS samples — S3 and MediaConvert events, job settings, a Smithy model, a zip — uploaded as if an educator had dropped them into a lesson)',
    'and the generated hostile files of `bench/lib/hostile.ts` (empty and random bytes under every extension lectern knows and some it does not, single lines of 2–5 MiB, JSON/YAML/XML nested 100 000 deep,',
    'XML entity and YAML alias bombs, an XXE entity, zip bombs named .pdf/.gift/.mp4, a PDF whose page content is a 1 GiB Flate bomb, a cyclic page tree, truncated PDFs, invalid UTF-8, UTF-16, NUL bytes),',
    `one at a time through the local pipeline (PGlite), each within ${ms(TIMEOUT_MS)}. Goal: a verdict for each (published or rejected, never failed), no unhandled error, no hang, bounded memory.`,
    '',
    provenance('npm run bench:reliability-hostile', [`Files: ${all.length} (${files.filter((f) => f.group.startsWith('corpus/')).length} from the corpus at ${path.relative(REPO_ROOT, CORPUS) || CORPUS}, ${files.filter((f) => !f.group.startsWith('corpus/')).length} generated)`]),
    '',
    table(['group', 'files', 'published', 'rejected', 'failed / timed out / threw', 'slowest', 'largest RSS rise during one file'], rows),
    '',
    `**${bad.length === 0 && report.unhandled.length === 0 ? 'Met' : 'Missed'}:** ${all.length - bad.length} of ${all.length} files got a verdict; ${bad.length} without one${bad.length ? ` (${bad.map((v) => `${v.name}: ${v.verdict}`).join('; ')})` : ''}; ${report.unhandled.length} unhandled errors.`,
    `Memory: the process (pipeline, PGlite and all) started the sweep at ${mib(baseRss)} RSS and peaked at ${mib(report.peakRssMiB * 1024 ** 2)}. Whole sweep: ${ms(report.wallMs)}.`,
    '',
    `Rejection codes: ${[...codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `\`${c}\` ${n}`).join(', ')}.`,
    '',
    'The files that raised RSS most (the peak while the file ran, over the RSS when it started; files run one at a time):',
    '',
    table(['file', 'size', 'verdict', 'time', 'RSS rise', 'RSS peak'], heaviest.map((v) => [v.name, mib(v.bytes), `${v.verdict}${v.code ? ` (${v.code})` : ''}`, ms(v.ms), mib(v.rssGrowthMiB * 1024 ** 2), mib(v.peakRssMiB * 1024 ** 2)])),
    '',
    'Slowest:',
    '',
    table(['file', 'size', 'verdict', 'time'], slowest.map((v) => [v.name, mib(v.bytes), `${v.verdict}${v.code ? ` (${v.code})` : ''}`, ms(v.ms)])),
  ].join('\n');
  updateSection('## Reliability: hostile input', body);
  process.stdout.write(`${body}\n`);
  process.exitCode = bad.length === 0 && report.unhandled.length === 0 ? 0 : 1;
} finally {
  await rm(stateDir, { recursive: true, force: true });
}
