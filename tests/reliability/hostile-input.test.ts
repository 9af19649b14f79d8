/**
 * Hostile input: generated files that were never meant to be uploaded or were made to hurt —
 * empty, random bytes under every extension, huge lines, deeply nested JSON/YAML/XML, entity and
 * alias bombs, zip bombs named .pdf, truncated PDFs, a Flate bomb inside a PDF, invalid UTF-8 —
 * each through the local pipeline. Every one gets a verdict (published or rejected; never failed),
 * within a time limit, with no unhandled error, in bounded memory. The shared corpus goes through
 * the same sweep in bench/reliability-hostile.ts.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStack, type LocalStack } from '../../local/local-stack.js';
import { validatePdf } from '../../shared/pdf/validate-pdf.js';
import { generatedHostileFiles, sweep, type HostileFile } from '../../bench/lib/hostile.js';
import { cpuMs } from '../helpers/timed.js';

const PER_FILE_TIMEOUT_MS = 60_000;

function vmHwmMiB(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

describe('hostile input through the local pipeline', () => {
  let stack: LocalStack;
  let stateDir: string;
  let files: HostileFile[];
  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-hostile-'));
    stack = await openLocalStack({ stateDir, retryIntervalMs: 1 });
    files = await generatedHostileFiles();
  });
  afterAll(async () => {
    await stack?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('rejects a PDF whose content is a decompression bomb before any parser expands it', async () => {
    // 1 GiB of zeros in 1 MiB (bench/lib/hostile.ts): pdf.js would decode the whole page content to look for text
    const bomb = files.find((f) => f.fileName === 'flate-bomb.pdf')!.bytes;
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    global.gc?.();
    const before = vmHwmMiB();
    const started = cpuMs();
    const verdict = await validatePdf(bomb);
    const grewMiB = vmHwmMiB() - before;
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.map((r) => r.code)).toEqual(['pdf.decompression-bomb']);
    expect(verdict.reasons[0]!.message).toMatch(/object 4 0/);
    expect(grewMiB, 'validation peak memory growth (MiB)').toBeLessThan(300);
    expect(cpuMs() - started, 'CPU time (ms): a busy machine stretches the wall clock, not this').toBeLessThan(10_000);
  }, 120_000);

  it('gives every generated hostile file a verdict: published or rejected, never failed, no unhandled errors', async () => {
    const report = await sweep(stack, files, { timeoutMs: PER_FILE_TIMEOUT_MS, concurrency: 2 });
    const bad = report.verdicts.filter((v) => v.verdict !== 'published' && v.verdict !== 'rejected');
    expect(bad.map((v) => `${v.name} (${v.key}): ${v.verdict} ${v.detail ?? ''}`)).toEqual([]);
    expect(report.unhandled).toEqual([]);
    expect(report.verdicts.every((v) => v.ms < PER_FILE_TIMEOUT_MS)).toBe(true);
    // what must never be published
    const mustReject = report.verdicts.filter((v) => /^(0 bytes|64 KiB of random|zip bomb|PDF whose page content is a Flate bomb|PDF whose page tree is a cycle|XML external entity|3 MiB)/.test(v.name));
    expect(mustReject.filter((v) => v.verdict !== 'rejected').map((v) => v.name)).toEqual([]);
    // nothing of a rejected upload reached the published bucket
    for (const v of report.verdicts.filter((x) => x.verdict === 'rejected')) {
      const lesson = v.key.split('/').slice(0, 4).join('/');
      const fileName = v.key.split('/').at(-1)!;
      const leaked = (await stack.published.list(`${lesson}/${fileName}/`)).length;
      expect(leaked, `${v.name} was rejected but has outputs`).toBe(0);
    }
  }, 600_000);
});
