'use strict';
/**
 * esbuild plugin (serverless.yml `custom.esbuild.plugins`): the AWS SDK clients
 * (`@aws-sdk/client-*`) are left out of the bundles — the nodejs22.x runtime provides them — and
 * loaded with `require()` rather than `import`. The runtime's clients are CommonJS; importing a
 * CommonJS package from ESM makes Node scan its source for export names first: with require()
 * the unbundled clients add 60–70 ms (median) to a cold start instead of ~110 ms with import
 * (BENCHMARKS.md, "Cold start"). `require` is the one the bundle's banner creates
 * (`createRequire(import.meta.url)`); it resolves through NODE_PATH, which on Lambda includes
 * /var/runtime/node_modules, where the runtime's SDK lives. The bundle's own code imports the
 * clients as usual.
 */
const NAMESPACE = 'lectern-runtime-aws-sdk';

const runtimeAwsSdk = {
  name: 'runtime-aws-sdk',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/client-[a-z0-9-]+$/ }, (args) =>
      args.namespace === NAMESPACE ? { path: args.path, external: true } : { path: args.path, namespace: NAMESPACE },
    );
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

module.exports = [runtimeAwsSdk];
module.exports.runtimeAwsSdk = runtimeAwsSdk;
