#!/usr/bin/env node
/**
 * Compiles the TypeScript the CLI, the local stack and the benches run into `dist/` — one
 * JavaScript file per source file, same layout — so no command transpiles at run time. Files they
 * read beside their own code (the ASL, the preview's assets, the fixture events) are copied along.
 * Types are not checked here (`npm run typecheck` does that); esbuild only strips them.
 *
 * `npm ci` runs this through the `prepare` script and `npm test` through vitest's global setup, so
 * a fresh clone and the tests never run a stale build. Unchanged outputs are not rewritten, and a
 * changed one is replaced by a rename: a `lectern` running meanwhile never reads half a file.
 *
 * The command line also gets a bundle (`dist/bundle/`, see bundleCli): the same compiled modules
 * and the packages they import in a few files, because resolving and loading ~1,000 separate
 * modules was most of a short `lectern run`'s CPU.
 *
 * It also makes the image a new embedded database starts from (an initialised, migrated PGlite
 * data directory, `dist/shared/db/pglite-image/`), again only when the migrations or PGlite changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(ROOT, 'dist');

/** Source folders compiled; `tests/` for the helpers the benches share (test files themselves are left out). */
const SOURCES = ['bench', 'cli', 'functions', 'local', 'shared', 'tests'];
/** Data files read at run time relative to the module that reads them. */
const COPIED = [
  { dir: 'state-machines', match: /\.json$/ },
  { dir: 'events', match: /\.json$/ },
  { dir: 'local/preview/assets', match: /\.(?:cjs|js|css)$/ },
];

function files(dir, match) {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && match(entry.name))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** Builds `dist/`; returns how many files changed. */
export async function buildDist() {
  const sources = SOURCES.flatMap((dir) => files(dir, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')));
  const result = await build({
    entryPoints: sources.map((file) => path.join(ROOT, file)),
    outdir: OUT_DIR,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    bundle: false,
    write: false,
    logLevel: 'warning',
  });
  const outputs = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  for (const { dir, match } of COPIED) {
    for (const file of files(dir, (name) => match.test(name))) outputs.set(path.join(OUT_DIR, file), readFileSync(path.join(ROOT, file)));
  }
  let changed = 0;
  for (const [file, contents] of outputs) changed += writeIfChanged(file, contents);
  // Bundled from the modules just written (esbuild resolves imports on disk).
  for (const [file, contents] of await bundleCli(outputs)) {
    outputs.set(file, contents);
    if (contents) changed += writeIfChanged(file, contents);
  }
  changed += await databaseImage(outputs);
  // Outputs of deleted sources must not linger (an import of a removed module has to fail).
  const image = path.join(OUT_DIR, IMAGE) + path.sep;
  for (const entry of readdirSync(OUT_DIR, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !outputs.has(file) && !file.startsWith(image)) rmSync(file);
  }
  return changed;
}

/** Packages the bundle leaves as imports: they find files of their own (WebAssembly, workers, binaries) beside their code. */
const UNBUNDLED = ['@electric-sql/pglite', 'pdfjs-dist', 'mediainfo.js', '@napi-rs/canvas', '@neslinesli93/qpdf-wasm', 'esbuild', 'hls.js', 'katex'];

/**
 * The command line as a bundle in `dist/bundle/` (what bin/lectern.js runs): `cli/main.js` and
 * every module it imports, packages included, in one flat folder of files — the entry, one file
 * per function (its create-handler.js, imported when its state is first entered; the AWS binding
 * in handler.js, and so the AWS SDK clients, are not part of it) and the chunks they
 * share. Bundled from the compiled modules in `compiled` (path → bytes).
 *
 * A module that finds files relative to itself (`import.meta.url`) gets its own dist/ address in
 * place of it, relative to the bundle folder, so `../state-machines/…` still means dist/state-machines/.
 */
async function bundleCli(compiled) {
  const bundleDir = path.join(OUT_DIR, 'bundle');
  // Made again only when what goes into it changed: the compiled modules, the installed packages, this script.
  const hash = createHash('sha256');
  for (const file of [path.join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url)]) hash.update(readFileSync(file));
  for (const [file, contents] of [...compiled].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(file).update(contents ?? '');
  const stampFile = path.join(bundleDir, 'bundle.sha256');
  const stamp = Buffer.from(`${hash.digest('hex')}\n`);
  if (existsSync(stampFile) && Buffer.compare(readFileSync(stampFile), stamp) === 0 && existsSync(path.join(bundleDir, 'main.js'))) {
    return readdirSync(bundleDir).map((name) => [path.join(bundleDir, name), undefined]);
  }
  const handlers = Object.fromEntries(
    [...compiled.keys()]
      .filter((file) => /[\\/]functions[\\/][^\\/]+[\\/]create-handler\.js$/.test(file))
      .map((file) => [`function-${path.basename(path.dirname(file))}`, file]),
  );
  const result = await build({
    entryPoints: { main: path.join(OUT_DIR, 'cli/main.js'), ...handlers },
    outdir: bundleDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    write: false,
    logLevel: 'warning',
    external: UNBUNDLED.flatMap((name) => [name, `${name}/*`]),
    // Packages written as CommonJS call require(); in an ES module it has to be made.
    banner: { js: "import { createRequire as lecternCreateRequire } from 'node:module'; const require = lecternCreateRequire(import.meta.url);" },
    plugins: [
      {
        // The local Step Functions library imports an ASL validator (ajv and its schemas) and the
        // Lambda client (with Cognito credentials) at its top; lectern turns validation off and
        // runs every Task in process, so in the bundle they are stand-ins that say so if reached.
        name: 'local-step-functions-unused',
        setup(b) {
          const unused = /^(?:asl-validator|@aws-sdk\/client-lambda|@aws-sdk\/credential-providers)$/;
          b.onResolve({ filter: unused }, (args) => (args.importer.includes(`${path.sep}aws-local-stepfunctions${path.sep}`) ? { path: args.path, namespace: 'unused' } : undefined));
          b.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
            loader: 'js',
            contents: [
              `const unused = () => { throw new Error(${JSON.stringify(`lectern's local Step Functions does not use ${args.path}: every Task runs in process, and the ASL is validated by the tests`)}); };`,
              'export default unused;',
              'export const fromCognitoIdentityPool = unused;',
              'export class LambdaClient { constructor() { unused(); } }',
              'export class InvokeCommand { constructor() { unused(); } }',
            ].join('\n'),
          }));
        },
      },
      {
        // jsonpath-plus, called as a function (as the local Step Functions library calls it), returns
        // a scalar by throwing it inside an Error from its constructor and catching it: a stack
        // trace captured for every InputPath, Parameters and ResultSelector value (~2 % of a busy
        // lesson's CPU). The same evaluation without the throw, for that library's imports only.
        name: 'jsonpath-without-throw',
        setup(b) {
          b.onResolve({ filter: /^jsonpath-plus$/ }, (args) =>
            args.importer.includes(`${path.sep}aws-local-stepfunctions${path.sep}`) ? { path: args.path, namespace: 'jsonpath-without-throw', pluginData: path.dirname(args.importer) } : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: 'jsonpath-without-throw' }, (args) => ({
            loader: 'js',
            resolveDir: args.pluginData,
            contents: [
              "import { JSONPath as Library } from 'jsonpath-plus';",
              "export * from 'jsonpath-plus';",
              'export function JSONPath(opts, ...rest) {',
              "  if (rest.length > 0 || !opts || typeof opts !== 'object' || !('json' in opts) || 'autostart' in opts) return Library(opts, ...rest);",
              '  return new Library({ ...opts, autostart: false }).evaluate({ path: opts.path, json: opts.json });',
              '}',
            ].join('\n'),
          }));
        },
      },
      {
        name: 'dist-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.js$/ }, (args) => {
            const file = args.path;
            const contents = compiled.has(file) ? Buffer.from(compiled.get(file)).toString('utf8') : readFileSync(file, 'utf8');
            if (!file.startsWith(OUT_DIR + path.sep) || !contents.includes('import.meta.url')) return undefined;
            const relative = path.relative(bundleDir, file).split(path.sep).join('/');
            return { contents: contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'js', resolveDir: path.dirname(file) };
          });
        },
      },
    ],
  });
  return [...result.outputFiles.map((file) => [file.path, file.contents]), [stampFile, stamp]];
}

/** Writes `file` unless it already holds `contents`; 1 when written. */
function writeIfChanged(file, contents) {
  let existing;
  try {
    existing = readFileSync(file);
  } catch {
    existing = undefined;
  }
  if (existing && Buffer.compare(existing, contents) === 0) return 0;
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
  return 1;
}

/** The embedded database's starting image, a data directory, relative to `dist/`. */
const IMAGE = 'shared/db/pglite-image';

/**
 * The embedded database's starting image, remade when its inputs changed: the compiled
 * migrations and the installed PGlite. Adds its stamp to `outputs`; 1 when remade. The new image
 * is made beside the old one and renamed into place.
 */
async function databaseImage(outputs) {
  const dbDir = path.join(OUT_DIR, 'shared/db');
  const image = path.join(OUT_DIR, IMAGE);
  const stamp = path.join(dbDir, 'pglite-image.sha256');
  const hash = createHash('sha256');
  hash.update(readFileSync(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json')));
  for (const [file, contents] of [...outputs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // The migrations make the schema; open-database.js makes the image (and what it keeps beside the data).
    if (file.startsWith(path.join(dbDir, 'migrations') + path.sep) || file === path.join(dbDir, 'open-database.js')) hash.update(path.relative(OUT_DIR, file)).update(contents);
  }
  const digest = Buffer.from(`${hash.digest('hex')}\n`);
  outputs.set(stamp, digest);
  let current;
  try {
    current = readFileSync(stamp);
  } catch {
    current = undefined;
  }
  if (current && Buffer.compare(current, digest) === 0 && existsSync(path.join(image, 'PG_VERSION'))) return 0;
  const { createDatabaseImage } = await import(pathToFileURL(path.join(dbDir, 'open-database.js')).href);
  const staging = `${image}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  await createDatabaseImage(staging);
  rmSync(image, { recursive: true, force: true });
  renameSync(staging, image);
  writeIfChanged(stamp, digest);
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const changed = await buildDist();
  process.stdout.write(`dist/: ${changed} file(s) written in ${Date.now() - started} ms\n`);
}
