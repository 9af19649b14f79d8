/**
 * Vitest global setup: compiles `dist/` (what bin/lectern.js runs) before any test spawns the
 * command, so the CLI tests exercise the sources as they are now, never a stale build.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
