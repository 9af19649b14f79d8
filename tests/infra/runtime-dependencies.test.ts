/**
 * What `lectern` and the Lambda bundles load at run time comes from `dependencies`: an install
 * with `npm ci --omit=dev` (a release, a container) must be able to run every command. Imports
 * that TypeScript erases (`import type`) do not count.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PRODUCT = ['shared', 'functions', 'local', 'cli', 'bin'];
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(file);
    else if (/\.(ts|js|mjs|cjs)$/.test(entry.name) && !/\.d\.c?ts$/.test(entry.name)) yield file;
  }
}

/** Bare specifiers a file loads at run time: value imports, re-exports, dynamic imports, require. */
function runtimeImports(text: string): string[] {
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\bfrom\s+)?['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? '');
  return found.filter((s) => !s.startsWith('.') && !s.startsWith('/'));
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

it('product code loads only packages listed in dependencies (or Node built-ins)', () => {
  const builtins = new Set(builtinModules);
  const outside: string[] = [];
  for (const dir of PRODUCT) {
    for (const file of sources(path.join(ROOT, dir))) {
      for (const specifier of runtimeImports(readFileSync(file, 'utf8'))) {
        const name = packageOf(specifier);
        if (specifier.startsWith('node:') || builtins.has(name) || pkg.dependencies[name]) continue;
        outside.push(`${path.relative(ROOT, file)}: ${specifier}`);
      }
    }
  }
  expect(outside).toEqual([]);
});
