/**
 * What every benchmark shares: the machine it ran on, simple statistics, and rewriting its own
 * section of BENCHMARKS.md (from its `## ` heading to the next one) while leaving the others alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json: the same from bench/lib/ and from its compiled copy in dist/bench/lib/. */
export const REPO_ROOT = repoRoot(path.dirname(fileURLToPath(import.meta.url)));

function repoRoot(dir: string): string {
  if (existsSync(path.join(dir, 'package.json'))) return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error('bench/lib/report.ts is not inside the lectern repository (no package.json above it).');
  return repoRoot(parent);
}
const BENCHMARKS = path.join(REPO_ROOT, 'BENCHMARKS.md');

/** `Node v22…, 2 CPUs (nproc), 23.5 GiB memory, AMD EPYC, linux x64`. */
export function machine(): string {
  let cpus = String(os.cpus().length);
  try {
    cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // no nproc: os.cpus() counts the same on Linux
  }
  const model = os.cpus()[0]?.model.trim() || 'unknown CPU';
  const memory = `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`;
  const load = os.loadavg()[0]!.toFixed(1);
  return `Node ${process.version}, ${cpus} CPUs (nproc), ${memory} memory, ${model}, ${os.platform()} ${os.arch()}; 1-minute load average at the start: ${load}`;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** A Markdown table. */
export function table(header: string[], rows: Array<Array<string | number>>, align?: Array<'l' | 'r'>): string {
  const sep = header.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [`| ${header.join(' | ')} |`, `|${sep.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Replaces (or appends) the section starting at `heading` (e.g. `## Pipeline`). */
export function updateSection(heading: string, body: string): void {
  const current = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, 'utf8') : '# Benchmarks\n';
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = current.indexOf(`${heading}\n`);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf('\n## ', start + heading.length);
    next = after === -1 ? `${current.slice(0, start)}${section}` : `${current.slice(0, start)}${section}\n${current.slice(after + 1)}`;
  }
  const temp = `${BENCHMARKS}.${process.pid}.tmp`;
  writeFileSync(temp, next);
  renameSync(temp, BENCHMARKS);
}

/** The standard header of a section: what was run, where and when. */
export function provenance(command: string, extra: string[] = []): string {
  return [`- Command: \`${command}\``, `- Machine: ${machine()}`, `- Date: ${today()}`, ...extra.map((e) => `- ${e}`)].join('\n');
}
