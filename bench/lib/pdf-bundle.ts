/**
 * The PDF benchmarks' child (bench/lib/pdf-child.ts) bundled as the validatePdf Lambda is (esbuild
 * with serverless.yml's options: one minified ESM file), so a child's start-up and memory are the
 * function's, not tsx's. `root` may be another checkout of lectern (a git worktree of an older
 * commit, with this one's node_modules linked in), to measure it side by side.
 */
import path from 'node:path';
import { build } from 'esbuild';

export async function bundlePdfChild(root: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [path.join(root, 'bench/lib/pdf-child.ts')],
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __lecternCreateRequire } from 'node:module'; const require = __lecternCreateRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'error',
  });
  return outfile;
}
