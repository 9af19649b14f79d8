/**
 * The built-ins lectern defines for pdf.js's modern build (shared/pdf/pdfjs-polyfills.ts): every
 * polyfill pdf.js's own legacy build carries (its core-js list) is either native in this Node or
 * defined by lectern, so a pdf.js upgrade that starts calling a new one is caught here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sumPrecise } from '../../../shared/pdf/pdfjs-polyfills.js';

type AnyFn = (...args: never[]) => unknown;
const has = (target: unknown, name: string): boolean => typeof (target as Record<string, unknown>)[name] === 'function';
/** The Iterator global (ES2025; this project's TypeScript lib knows it only as a type). */
const Iterator = (globalThis as unknown as { Iterator: { prototype: object } }).Iterator;

/** Each core-js module the legacy build imports, as the built-in it provides. */
const PROVIDES: Record<string, () => boolean> = {
  'es.array.includes': () => has(Array.prototype, 'includes'),
  'es.array.push': () => has(Array.prototype, 'push'),
  'es.iterator.constructor': () => typeof Iterator === 'function',
  'es.iterator.drop': () => has(Iterator.prototype, 'drop'),
  'es.iterator.every': () => has(Iterator.prototype, 'every'),
  'es.iterator.filter': () => has(Iterator.prototype, 'filter'),
  'es.iterator.find': () => has(Iterator.prototype, 'find'),
  'es.iterator.flat-map': () => has(Iterator.prototype, 'flatMap'),
  'es.iterator.for-each': () => has(Iterator.prototype, 'forEach'),
  'es.iterator.map': () => has(Iterator.prototype, 'map'),
  'es.iterator.some': () => has(Iterator.prototype, 'some'),
  'es.iterator.take': () => has(Iterator.prototype, 'take'),
  'es.iterator.to-array': () => has(Iterator.prototype, 'toArray'),
  'es.json.parse': () => has(JSON, 'parse'),
  'es.json.stringify': () => JSON.stringify('\uD800') === '"\\ud800"',
  'es.map.get-or-insert-computed': () => has(Map.prototype, 'getOrInsertComputed'),
  'es.map.get-or-insert': () => has(Map.prototype, 'getOrInsert'),
  'es.math.sum-precise': () => has(Math, 'sumPrecise'),
  'es.promise.try': () => has(Promise, 'try'),
  'es.set.difference.v2': () => has(Set.prototype, 'difference'),
  'es.set.intersection.v2': () => has(Set.prototype, 'intersection'),
  'es.set.is-disjoint-from.v2': () => has(Set.prototype, 'isDisjointFrom'),
  'es.set.is-subset-of.v2': () => has(Set.prototype, 'isSubsetOf'),
  'es.set.is-superset-of.v2': () => has(Set.prototype, 'isSupersetOf'),
  'es.set.symmetric-difference.v2': () => has(Set.prototype, 'symmetricDifference'),
  'es.set.union.v2': () => has(Set.prototype, 'union'),
  'es.typed-array.with': () => has(Uint8Array.prototype, 'with'),
  'es.uint8-array.from-base64': () => has(Uint8Array, 'fromBase64'),
  'es.uint8-array.to-base64': () => has(Uint8Array.prototype, 'toBase64'),
  'es.uint8-array.to-hex': () => has(Uint8Array.prototype, 'toHex'),
  'es.weak-map.get-or-insert-computed': () => has(WeakMap.prototype, 'getOrInsertComputed'),
  'es.weak-map.get-or-insert': () => has(WeakMap.prototype, 'getOrInsert'),
  // Only in the legacy build's own code paths, never called by the modern build in Node:
  // `self` (a browser worker's global), URL.parse (native), DOMException's stack (native).
  'web.self': () => true,
  'web.url.parse': () => has(URL, 'parse'),
  'web.dom-exception.stack': () => typeof DOMException === 'function',
};

/** Carried by the legacy build, never called by the modern one (checked below). */
const UNUSED_BY_MODERN = ['es.uint8-array.set-from-base64', 'es.uint8-array.set-from-hex'];

function legacyPolyfills(): string[] {
  const dir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const names = new Set<string>();
  for (const file of ['legacy/build/pdf.mjs', 'legacy/build/pdf.worker.mjs']) {
    for (const [, name] of readFileSync(path.join(dir, file), 'utf8').matchAll(/core-js\/modules\/([a-z0-9.-]+)\.js/g)) names.add(name!);
  }
  return [...names].sort();
}

describe('pdf.js polyfills', () => {
  it('cover every built-in of the legacy build’s polyfill list that the modern build calls', () => {
    const list = legacyPolyfills();
    expect(list.length).toBeGreaterThan(20);
    const unknown = list.filter((name) => !(name in PROVIDES) && !UNUSED_BY_MODERN.includes(name));
    expect(unknown, 'new core-js modules in pdf.js: check whether Node 22 has them, else define them in pdfjs-polyfills.ts').toEqual([]);
    const missing = list.filter((name) => name in PROVIDES && !PROVIDES[name]!());
    expect(missing).toEqual([]);
  });

  it('the modern build calls none of the setFrom* methods left out', () => {
    const dir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    for (const file of ['build/pdf.mjs', 'build/pdf.worker.mjs']) {
      expect(readFileSync(path.join(dir, file), 'utf8')).not.toMatch(/\.setFrom(Base64|Hex)\(/);
    }
  });

  it('Math.sumPrecise is the correctly rounded sum', () => {
    expect(sumPrecise([0.1, 0.2, 0.3])).toBe(0.6);
    expect(sumPrecise([1e20, 0.1, -1e20])).toBe(0.1);
    expect(sumPrecise([1, 1e100, 1, -1e100])).toBe(2);
    expect(sumPrecise([3, 4, 5])).toBe(12);
    expect(Object.is(sumPrecise([]), -0)).toBe(true);
    expect(Object.is(sumPrecise([-0, -0]), -0)).toBe(true);
    expect(Object.is(sumPrecise([-0, 0]), 0)).toBe(true);
    expect(sumPrecise([Infinity, 1])).toBe(Infinity);
    expect(sumPrecise([Infinity, -Infinity])).toBeNaN();
    expect(sumPrecise([1, Number.NaN])).toBeNaN();
    expect(sumPrecise([Number.MAX_VALUE, Number.MAX_VALUE])).toBe(Infinity);
    expect(() => sumPrecise(['1' as unknown as number])).toThrow(TypeError);
  });

  it('getOrInsert, getOrInsertComputed, Promise.try and the Uint8Array base64 and hex methods behave as specified', async () => {
    const map = new Map<string, number[]>();
    const make = (): number[] => [];
    const getOrInsertComputed = (map as unknown as { getOrInsertComputed: (k: string, f: () => number[]) => number[] }).getOrInsertComputed;
    const first = getOrInsertComputed.call(map, 'a', make);
    expect(getOrInsertComputed.call(map, 'a', () => [1])).toBe(first);
    expect((map as unknown as { getOrInsert: (k: string, v: number[]) => number[] }).getOrInsert('b', [2])).toEqual([2]);
    expect(await (Promise as unknown as { try: (f: AnyFn, ...a: unknown[]) => Promise<unknown> }).try((x: number) => x * 2, 21)).toBe(42);
    await expect((Promise as unknown as { try: (f: AnyFn) => Promise<unknown> }).try(() => { throw new Error('inside'); })).rejects.toThrow('inside');
    const bytes = new Uint8Array([0, 1, 0xfe, 0xff, 0x41]);
    expect((bytes as unknown as { toHex(): string }).toHex()).toBe('0001feff41');
    const text = (bytes as unknown as { toBase64(): string }).toBase64();
    expect(text).toBe('AAH+/0E=');
    expect((Uint8Array as unknown as { fromBase64(s: string): Uint8Array }).fromBase64(text)).toEqual(bytes);
    expect(() => (Uint8Array as unknown as { fromBase64(s: string): Uint8Array }).fromBase64('not base64!')).toThrow(SyntaxError);
  });
});
