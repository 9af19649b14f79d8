/**
 * The PDF benchmark's child process: validates the files named on the command line with lectern's
 * validator (the one ValidatePdf runs, with the default policy and the pipeline's limits) and
 * prints one JSON line per file. Bundled by bench/pdf.ts with esbuild, as the Lambda is, and run
 * with plain `node`, so its start-up and memory are the function's, not tsx's.
 *
 *   node pdf-child.mjs FILE…          validation time of each (the first one pays the JIT)
 *   LECTERN_BENCH_WARM_UP=1           first the init warm-up ValidatePdf's Lambda runs (one `{"warmUp"}` line)
 *   peak RSS is the process's own high-water mark (`VmHWM` in /proc/self/status — not
 *   `resourceUsage().maxRSS`, which Linux carries over from the forking parent across exec).
 */
import { readFileSync } from 'node:fs';
import { warmUpPdfValidator } from '../../shared/pdf/pdf-warm-up.js';
import { validatePdf } from '../../shared/pdf/validate-pdf.js';

const MiB = 1024 * 1024;

/** `VmHWM` (peak) or `VmRSS` (now) of this process, in KiB. */
function status(field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

const baseRssKiB = status('VmRSS');
const engine = process.env.LECTERN_QPDF_DIR ? { qpdfDir: process.env.LECTERN_QPDF_DIR } : {};
if (process.env.LECTERN_BENCH_WARM_UP === '1') {
  const outcome = await warmUpPdfValidator(engine);
  if (!outcome.ok) throw new Error(`the warm-up failed: ${outcome.problems.join('; ')}`);
  process.stdout.write(`${JSON.stringify({ warmUp: outcome.ms })}\n`);
}
for (const file of process.argv.slice(2)) {
  const bytes = new Uint8Array(readFileSync(file));
  const started = performance.now();
  const verdict = await validatePdf(bytes, { maxBytes: 200 * MiB, maxPages: 2000 }, engine);
  const ms = performance.now() - started;
  process.stdout.write(
    `${JSON.stringify({
      file,
      ms,
      ok: verdict.ok,
      codes: verdict.reasons.map((r) => r.code),
      pages: verdict.metadata.pageCount ?? null,
      peakRssKiB: status('VmHWM'),
    })}\n`,
  );
}
// The whole process's CPU time, module loading included: what a cold container pays for its first file.
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ done: true, baseRssKiB, peakRssKiB: status('VmHWM'), cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
