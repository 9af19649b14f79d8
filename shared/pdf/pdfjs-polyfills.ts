/**
 * The few built-ins pdf.js's modern build calls that Node 22 does not have yet, defined only where
 * missing (Node 24 has most of them): `Map`/`WeakMap` `getOrInsert` and `getOrInsertComputed`,
 * `Math.sumPrecise`, `Promise.try`, and `Uint8Array`'s `toHex`, `toBase64` and `fromBase64`.
 *
 * Why not the legacy build pdf.js recommends for Node: it brings 37 core-js modules, which install
 * their polyfills at load (iterator helpers, set methods and JSON included, which Node 22 already
 * has), and that top-level code was the largest single cost of a cold validatePdf process
 * (BENCHMARKS.md, "PDF validation: the cold gap"). The list here is the legacy build's core-js
 * list minus what Node 22 has (checked by tests/unit/pdf/pdfjs-polyfills.test.ts).
 *
 * Must run before pdf.js loads: `pdfjs-document.ts`, the one module that loads pdf.js, imports it
 * first and pdf.js after it, dynamically.
 *
 * The modern build prints "Please use the `legacy` build in Node.js environments." once when it
 * loads; that advice is about the polyfills above (and rendering, which lectern never does), so the
 * line is held back while pdf.js loads: `pdfjsLoaded()` (called by `pdfjs-document.ts` once pdf.js
 * has loaded) puts `console.warn` back. Nothing else is filtered.
 */

type Computed<K, V> = (key: K) => V;

const LEGACY_ADVICE = 'Warning: Please use the `legacy` build in Node.js environments.';
const consoleWarn = console.warn;
let quiet: typeof console.warn | undefined = function quietLegacyAdvice(this: Console, ...args: unknown[]) {
  if (args.length === 1 && args[0] === LEGACY_ADVICE) return;
  consoleWarn.apply(this, args);
};
console.warn = quiet;

/** pdf.js has loaded: `console.warn` is the console's own again (unless someone replaced it since). */
export function pdfjsLoaded(): void {
  if (quiet !== undefined && console.warn === quiet) console.warn = consoleWarn;
  quiet = undefined;
}

function define(target: object, name: string, value: unknown): void {
  if (!(name in target)) Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

for (const proto of [Map.prototype, WeakMap.prototype] as Array<Map<unknown, unknown>>) {
  define(proto, 'getOrInsert', function getOrInsert(this: Map<unknown, unknown>, key: unknown, value: unknown) {
    if (!this.has(key)) this.set(key, value);
    return this.get(key);
  });
  define(proto, 'getOrInsertComputed', function getOrInsertComputed(this: Map<unknown, unknown>, key: unknown, compute: Computed<unknown, unknown>) {
    if (typeof compute !== 'function') throw new TypeError('getOrInsertComputed: the callback is not a function');
    if (!this.has(key)) this.set(key, compute(key));
    return this.get(key);
  });
}

/**
 * `Math.sumPrecise`: the correctly rounded sum (Shewchuk's exact partials, as Python's `fsum`).
 * pdf.js adds byte lengths and glyph widths with it.
 */
export function sumPrecise(values: Iterable<number>): number {
  const partials: number[] = [];
  let special: number | undefined;
  let count = 0;
  let naive = 0;
  for (const value of values) {
    if (typeof value !== 'number') throw new TypeError('Math.sumPrecise: every value must be a number');
    count++;
    naive += value;
    if (!Number.isFinite(value)) {
      // NaN wins; +Infinity and -Infinity together make NaN.
      special = special === undefined || special === value ? value : Number.NaN;
      if (Number.isNaN(value)) special = Number.NaN;
      continue;
    }
    let x = value;
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  if (special !== undefined) return special;
  // An empty sum is -0, as the proposal specifies.
  if (count === 0) return -0;
  // The partials overflowed: the sum is infinite (or past the largest double) either way.
  if (!partials.every(Number.isFinite)) return naive;
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Round half to even across the remaining partials.
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

define(Math, 'sumPrecise', sumPrecise);

define(Promise, 'try', function promiseTry<T>(this: PromiseConstructor, fn: (...args: unknown[]) => T, ...args: unknown[]): Promise<Awaited<T>> {
  return new this<Awaited<T>>((resolve) => resolve(fn(...args) as Awaited<T>));
});

define(Uint8Array.prototype, 'toHex', function toHex(this: Uint8Array) {
  return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('hex');
});
define(Uint8Array.prototype, 'toBase64', function toBase64(this: Uint8Array, options?: { alphabet?: 'base64' | 'base64url'; omitPadding?: boolean }) {
  let text = Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString(options?.alphabet === 'base64url' ? 'base64url' : 'base64');
  if (options?.alphabet === 'base64url' && !options.omitPadding) text += '='.repeat((4 - (text.length % 4)) % 4);
  if (options?.omitPadding) text = text.replace(/=+$/, '');
  return text;
});
define(Uint8Array, 'fromBase64', function fromBase64(text: string, options?: { alphabet?: 'base64' | 'base64url' }) {
  if (typeof text !== 'string') throw new TypeError('Uint8Array.fromBase64: the input is not a string');
  const clean = text.replace(/[\t\n\f\r ]/g, '');
  const alphabet = options?.alphabet === 'base64url' ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
  if (!alphabet.test(clean)) throw new SyntaxError('Uint8Array.fromBase64: the input is not base64');
  const bytes = Buffer.from(clean, options?.alphabet === 'base64url' ? 'base64url' : 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
});
