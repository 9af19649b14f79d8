import { defineConfig } from 'vitest/config';

/** `npm run test:corpus`: the shared real-world corpus through `lectern run --json`. */
export default defineConfig({
  test: {
    include: ['tests/corpus/**/*.corpus.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The CLI tests run bin/lectern.js, which runs dist/: compile it from the sources first.
    globalSetup: ['tests/helpers/build-dist.ts'],
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
});
