// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.serverless/', '.serverless-*/', '.esbuild/', '.lectern*/', 'coverage/', 'test-results/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Pure core: no AWS SDK, no database, no environment in the shared logic (STYLE.md rule 2).
      'no-restricted-imports': 'off',
    },
  },
  {
    // Local serverless and esbuild plugins (resources/plugins/) and resource generators: CommonJS, as serverless loads them.
    files: ['resources/plugins/*.cjs', 'resources/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    // The Lambda runtime (shared/runtime/: handler shell, deps, config, logger, metrics) and zod's one
    // import are where the outside world and the environment come in; everything else is pure.
    ignores: ['shared/adapters/**', 'shared/aws/**', 'shared/db/**', 'shared/runtime/**', 'shared/use-cases/**', 'shared/util/zod.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', 'kysely', 'pg'], message: 'Pure core: SDKs and the database belong in adapters and use-cases.' },
            { group: ['zod', 'zod/*'], message: "Import zod as `import * as z from '../util/zod.js'` (shared/util/zod.ts: zod/mini with English messages, tree-shakable)." },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Configuration is read once, in shared/runtime/config.ts.' }],
    },
  },
  {
    // Use-cases talk to the world through the ports in Deps: never through an adapter, an SDK or
    // the local twins, which are chosen by whoever builds the Deps (functions/, local/).
    files: ['shared/use-cases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', 'pg', '@electric-sql/*', 'aws-local-stepfunctions'], message: 'Use-cases reach AWS and the database through the ports in Deps.' },
            { group: ['**/adapters/*', '**/aws/*', '**/local/*'], message: 'Use-cases depend on ports (shared/ports), not on adapters, AWS wiring or the local twins.' },
            { group: ['zod', 'zod/*'], message: "Import zod as `import * as z from '../util/zod.js'` (shared/util/zod.ts: zod/mini with English messages, tree-shakable)." },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Configuration is read once, in shared/runtime/config.ts.' }],
    },
  },
);
