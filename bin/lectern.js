#!/usr/bin/env node
// The `lectern` command. Runs the TypeScript sources through tsx (no build step).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `lectern needs Node.js 22 or newer (this is ${process.version}). Inside this project, npm scripts and npx ` +
      `use the Node 22 installed by the "node" devDependency: run "npx lectern …" or "npm run demo".\n`,
  );
  process.exit(2);
}
// Handlers log through the Powertools Logger; on the command line that is noise unless asked for.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LECTERN_LOG_LEVEL ?? 'SILENT';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
