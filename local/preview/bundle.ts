/**
 * The files the preview page loads from `_lectern/`: its styles, its script — `client/main.ts`
 * with the views and the quiz kit, bundled by esbuild into one classic script (no modules, so a
 * static build works from `file://`; KaTeX's minified build inside it) — and hls.js from the local install.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { InternalError } from '../../shared/contract/errors.js';

const require = createRequire(import.meta.url);

export interface PreviewFile {
  body: Uint8Array;
  contentType: string;
}

/**
 * `client/main.ts` and what it imports, as one IIFE for the browser. Run from the sources (tests)
 * that is the TypeScript; run from `dist/` (bin/lectern.js) it is the compiled `main.js` beside it.
 */
export async function bundlePreviewScript(): Promise<Uint8Array> {
  const source = fileURLToPath(new URL('./client/main.ts', import.meta.url));
  const result = await build({
    entryPoints: [existsSync(source) ? source : fileURLToPath(new URL('./client/main.js', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    // KaTeX's own minified build (273 KB) rather than its ESM source (603 KB, not minified here).
    plugins: [{ name: 'katex-min', setup: (b) => b.onResolve({ filter: /^katex$/ }, () => ({ path: path.join(path.dirname(require.resolve('katex')), 'katex.min.js') })) }],
  });
  const [script] = result.outputFiles;
  if (!script) throw new InternalError('esbuild produced no preview script');
  return script.contents;
}

/** What the page loads from `_lectern/`, by name under it. */
export async function previewFiles(): Promise<Record<string, PreviewFile>> {
  const js = 'text/javascript; charset=utf-8';
  const [css, script, hls] = await Promise.all([
    readFile(new URL('./assets/preview.css', import.meta.url)),
    bundlePreviewScript(),
    readFile(require.resolve('hls.js/dist/hls.min.js')),
  ]);
  return {
    'preview.css': { body: css, contentType: 'text/css; charset=utf-8' },
    'preview.js': { body: script, contentType: js },
    'vendor/hls.js': { body: hls, contentType: js },
  };
}
