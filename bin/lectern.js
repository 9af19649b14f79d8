#!/usr/bin/env node
// The `lectern` command. Runs the JavaScript compiled and bundled into dist/bundle/ (`npm ci` builds
// it through the `prepare` script; `npm run build` after editing the sources): nothing is
// transpiled at run time, and its packages come in a few files instead of ~1,000 modules.
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `lectern needs Node.js 22 or newer (this is ${process.version}). Inside this project, npm scripts and npx ` +
      `use the Node 22 installed by the "node" devDependency: run "npx lectern …" or "npm run demo".\n`,
  );
  process.exit(2);
}
// V8's compiled code is cached on disk between runs (in the OS temporary folder).
module.enableCompileCache();
// Handlers log through the Powertools Logger; on the command line that is noise unless asked for.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LECTERN_LOG_LEVEL ?? 'SILENT';
const entry = new URL('../dist/bundle/main.js', import.meta.url);
const { main } = await import(entry.href).catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(entry.pathname)) throw error;
  process.stderr.write(`lectern is not built (${entry.pathname} is missing): run "npm run build" (npm ci runs it).\n`);
  process.exit(2);
});
process.exitCode = await main(process.argv.slice(2));
