import { expect } from 'vitest';

/** CPU time this process has used so far, in milliseconds (user + system, every thread). */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Runs `work` and asserts it used less than `maxMs` of CPU: a guard against hangs and quadratic
 * blow-ups in the hostile-input suites (generous bounds, not benchmarks; speed is measured in
 * bench/). CPU time, not wall time: a busy machine stretches the wall clock of the same work many
 * times over, its CPU time hardly.
 */
export function timed<T>(work: () => T, maxMs: number): T {
  const started = cpuMs();
  const result = work();
  expect(cpuMs() - started).toBeLessThan(maxMs);
  return result;
}
