import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The shared-corpus run through the CLI has its own command: npm run test:corpus.
    exclude: ['tests/corpus/**', '**/node_modules/**'],
    // Bounds, not budgets: a test waits for a condition and ends as soon as it holds. Tests and
    // hooks start whole stacks, transcodes and `lectern` processes, which on a two-core machine
    // with another CPU-heavy job beside them (stress-ng --cpu 2) take minutes: a 60 s bound failed
    // two video tests there that take 10 s on an idle machine.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // The CLI tests run bin/lectern.js, which runs dist/: compile it from the sources first.
    globalSetup: ['tests/helpers/build-dist.ts'],
    // PGlite takes ~800 MB per instance: keep the number of test files running at once small.
    maxWorkers: 2,
    // The handlers' Powertools Logger would print every step; tests assert on records instead.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
