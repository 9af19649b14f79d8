import { expect } from 'vitest';

/**
 * Runs `work` and asserts it finished within `maxMs`: a guard against hangs and quadratic
 * blow-ups in the hostile-input suites (generous bounds, not benchmarks; speed is measured in
 * bench/).
 */
export function timed<T>(work: () => T, maxMs: number): T {
  const started = performance.now();
  const result = work();
  expect(performance.now() - started).toBeLessThan(maxMs);
  return result;
}
