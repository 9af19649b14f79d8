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
  changed += await databaseImage(outputs);
  // Outputs of deleted sources must not linger (an import of a removed module has to fail).
  const image = path.join(OUT_DIR, IMAGE) + path.sep;
  for (const entry of readdirSync(OUT_DIR, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !outputs.has(file) && !file.startsWith(image)) rmSync(file);
  }
  return changed;
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
    if (file.startsWith(path.join(dbDir, 'migrations') + path.sep)) hash.update(path.relative(OUT_DIR, file)).update(contents);
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
