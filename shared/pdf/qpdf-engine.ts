/**
 * The object graph a PDF reader resolves, read with qpdf compiled to WebAssembly
 * (`@neslinesli93/qpdf-wasm`, qpdf 12). `qpdf --json` follows the cross-reference tables and
 * streams (and their `/Prev` chains, the last definition of each object winning), decodes object
 * streams with every standard filter and predictor, and decrypts files that open with an empty user
 * password. Stream data is not asked for (`--json-stream-data=none`) except, undecoded, for the few
 * streams the caller names (`readStreams`), which the caller then decodes within its own budget.
 *
 * Memory: qpdf itself decodes object streams whole, so its WebAssembly heap is capped at
 * `heapLimitBytes` (the module's own limit is 2 GiB). A file that needs more is reported as
 * `out-of-memory`, which the validator treats as a decompression bomb. Every call gets a fresh
 * instance of the compiled module, so a heap grown by one file is released with it and nothing
 * carries over from one file to the next; compiling the 1.3 MB module is done once per process.
 *
 * Where the WebAssembly lives: `wasmDir` (on Lambda the `qpdf` layer's `/opt`, set by
 * `LECTERN_QPDF_DIR`), else the installed package. Its `qpdf.js` is loaded at run time with
 * `require`, not bundled: it is an Emscripten loader that needs its own `__dirname`.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A value as qpdf's JSON v2 writes it: `/Name`, `12 0 R`, `u:text`, `b:0a1b`, numbers, arrays, dictionaries. */
export type QpdfValue = string | number | boolean | null | QpdfValue[] | { [key: string]: QpdfValue };
export type QpdfDict = { [key: string]: QpdfValue };

export interface QpdfObject {
  /** `12 0 R`. */
  ref: string;
  /** The object's value; for a stream, its dictionary. */
  value: QpdfValue;
  stream: boolean;
}

export type QpdfGraph =
  | {
      status: 'read';
      /** Every object of the cross-reference table(s), latest definition, decrypted. */
      objects: Map<string, QpdfObject>;
      trailer: QpdfDict;
      /** Warnings qpdf printed (damage it worked around); empty for a clean file. */
      warnings: string[];
    }
  | { status: 'password' }
  | { status: 'out-of-memory' }
  | { status: 'failed'; message: string }
  /** The WebAssembly or its loader could not be loaded: a deployment fault, not the file's. */
  | { status: 'engine-failed'; message: string };

export interface QpdfOptions {
  /** Directory holding `qpdf.js` and `qpdf.wasm`; default: the installed package's. */
  wasmDir?: string;
  /** Most bytes qpdf's heap may grow to. */
  heapLimitBytes: number;
}

interface QpdfInstance {
  callMain(args: string[]): number;
  FS: { writeFile(path: string, data: Uint8Array): void; readFile(path: string): Uint8Array };
}
type QpdfFactory = (options: Record<string, unknown>) => Promise<QpdfInstance>;

/** The parts of the WebAssembly API used here (this project's TypeScript setup has no DOM types). */
type WasmModule = object;
type WasmImports = Record<string, Record<string, unknown>>;
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(source: unknown, imports?: WasmImports): Promise<unknown>;
}
const wasm = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const INPUT = '/input.pdf';
const OUTPUT = '/output.json';
/** qpdf's exit code when it worked around damage ("operation succeeded with warnings"). */
const EXIT_WARNINGS = 3;

function packageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('@neslinesli93/qpdf-wasm'));
}

/** The compiled module and loader, once per directory for the life of the process (a Lambda container). */
interface Engine {
  factory: QpdfFactory;
  /** qpdf.wasm's bytes: the loader's own instantiate call is recognised by them. */
  bytes: Uint8Array;
  module: Promise<WasmModule>;
  /**
   * What the loader is told qpdf.wasm is (its own `qpdf.js`, 43 KB, beside it wherever it is):
   * the loader reads and copies "the WebAssembly" at every start, and it is never compiled —
   * the call that would compile it gets the module compiled once instead — so the loader reads
   * this small file, not the 1.3 MB one (two 1.3 MB buffers a file, ~3 ms and their collection).
   */
  decoy: { file: string; bytes: Uint8Array };
}
const engines = new Map<string, Engine>();

function engine(dir: string): Engine {
  let found = engines.get(dir);
  if (!found) {
    const factory = createRequire(import.meta.url)(path.join(dir, 'qpdf.js')) as QpdfFactory;
    const bytes = readFileSync(path.join(dir, 'qpdf.wasm'));
    const module = wasm().compile(bytes);
    module.catch(() => engines.delete(dir));
    const decoy = path.join(dir, 'qpdf.js');
    found = { factory, bytes, module, decoy: { file: decoy, bytes: readFileSync(decoy) } };
    engines.set(dir, found);
  }
  return found;
}

/** Emscripten's heap-growth import, recognised by the 2 GiB bound written in its body. */
function isHeapResize(value: unknown): value is (size: number) => boolean {
  return typeof value === 'function' && /2147483648</.test(String(value));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/** One instantiation at a time: each one answers the loader's call with its own heap limit. */
let instantiating: Promise<unknown> = Promise.resolve();

/**
 * Instantiates qpdf from the compiled module with `emscripten_resize_heap` refusing to grow past
 * `heapLimitBytes` (an allocation beyond it fails inside qpdf, which stops). The loader calls
 * `WebAssembly.instantiate(bytes, imports)` itself and offers no hook, so that one call — and
 * only it, recognised by the bytes it was given (the decoy's; qpdf.wasm's, should a loader ignore
 * `locateFile`) — is answered here while the factory starts. Any other module instantiated
 * meanwhile in the same process (the embedded database's, for one) goes to WebAssembly untouched.
 */
function instantiate(dir: string, heapLimitBytes: number, log: string[]): Promise<QpdfInstance> {
  const next = instantiating.then(
    () => instantiateAlone(dir, heapLimitBytes, log),
    () => instantiateAlone(dir, heapLimitBytes, log),
  );
  instantiating = next.catch(() => undefined);
  return next;
}

async function instantiateAlone(dir: string, heapLimitBytes: number, log: string[]): Promise<QpdfInstance> {
  const { factory, bytes, module, decoy } = engine(dir);
  const compiled = await module;
  const api = wasm();
  const original = api.instantiate;
  api.instantiate = async (source: unknown, imports?: WasmImports): Promise<unknown> => {
    if (!(source instanceof Uint8Array) || !imports || !(sameBytes(source, decoy.bytes) || sameBytes(source, bytes))) return original.call(api, source, imports);
    for (const group of Object.values(imports)) {
      for (const [name, value] of Object.entries(group)) {
        if (isHeapResize(value)) group[name] = (size: number) => size <= heapLimitBytes && value(size);
      }
    }
    return { instance: await original.call(api, compiled, imports), module: compiled };
  };
  // The loader binds console.log and console.error for qpdf's output when it starts (it takes no
  // print hooks): bind it to the log instead.
  const { log: consoleLog, error: consoleError } = console;
  console.log = console.error = (line: unknown) => log.push(String(line));
  try {
    const instance = factory({ locateFile: () => decoy.file, thisProgram: 'qpdf' });
    console.log = consoleLog;
    console.error = consoleError;
    return await instance;
  } finally {
    console.log = consoleLog;
    console.error = consoleError;
    api.instantiate = original;
  }
}

function run(qpdf: QpdfInstance, args: string[], log: string[]): { code: number } | { error: unknown } {
  // qpdf's exit sets process.exitCode, which is the host's, not qpdf's.
  const exitCode = process.exitCode;
  try {
    return { code: qpdf.callMain(args) };
  } catch (error) {
    // An allocation past the heap limit aborts the instance (it is not used again).
    log.push(String((error as Error)?.message ?? error));
    return { error };
  } finally {
    process.exitCode = exitCode;
  }
}

function problem(log: readonly string[]): string {
  const lines = log
    .map((line) => line.replace(/^qpdf: /, '').replace(/^.*?\/input\.pdf:? */, '').trim())
    .filter((line) => line !== '' && !/^(WARNING: )?.*operation succeeded with warnings/.test(line));
  return (lines.find((line) => !line.startsWith('WARNING')) ?? lines[0] ?? 'qpdf could not read it').slice(0, 300);
}

function isOutOfMemory(log: readonly string[]): boolean {
  return log.some((line) => /bad_alloc|out of memory|Cannot enlarge memory|Aborted\(/i.test(line));
}

function parseGraph(json: string): { objects: Map<string, QpdfObject>; trailer: QpdfDict } {
  const parsed = JSON.parse(json) as { qpdf: [unknown, Record<string, { value?: QpdfValue; stream?: { dict?: QpdfDict } }>] };
  const objects = new Map<string, QpdfObject>();
  let trailer: QpdfDict = {};
  for (const [key, entry] of Object.entries(parsed.qpdf[1] ?? {})) {
    if (key === 'trailer') {
      trailer = (entry.value ?? {}) as QpdfDict;
      continue;
    }
    const ref = key.replace(/^obj:/, '');
    if (entry.stream) objects.set(ref, { ref, value: entry.stream.dict ?? {}, stream: true });
    else objects.set(ref, { ref, value: entry.value ?? null, stream: false });
  }
  return { objects, trailer };
}

/** Reads every object of `bytes` as qpdf resolves it. Never throws. */
export async function readQpdfGraph(bytes: Uint8Array, options: QpdfOptions): Promise<QpdfGraph> {
  const log: string[] = [];
  let qpdf: QpdfInstance;
  try {
    qpdf = await instantiate(options.wasmDir ?? packageDir(), options.heapLimitBytes, log);
    qpdf.FS.writeFile(INPUT, bytes);
  } catch (error) {
    return { status: 'engine-failed', message: `the PDF engine (qpdf) did not load: ${String((error as Error)?.message ?? error)}` };
  }
  const outcome = run(qpdf, ['--json=2', '--json-key=qpdf', '--json-stream-data=none', INPUT, OUTPUT], log);
  if ('error' in outcome || (outcome.code !== 0 && outcome.code !== EXIT_WARNINGS)) {
    if (isOutOfMemory(log)) return { status: 'out-of-memory' };
    if (log.some((line) => /invalid password/.test(line))) return { status: 'password' };
    return { status: 'failed', message: problem(log) };
  }
  try {
    const graph = parseGraph(new TextDecoder().decode(qpdf.FS.readFile(OUTPUT)));
    return { status: 'read', ...graph, warnings: log.filter((line) => line.startsWith('WARNING')).map((line) => line.replace(/^WARNING: [^:]*: /, '')) };
  } catch (error) {
    return { status: 'failed', message: `qpdf's output could not be read: ${String((error as Error)?.message ?? error)}` };
  }
}

/**
 * The data of the streams `refs` as stored in the file, decrypted but not decoded (so that the
 * caller decodes it within its own budget), with each stream's dictionary. Never throws; streams
 * that cannot be read are left out.
 */
export async function readQpdfStreams(bytes: Uint8Array, refs: readonly string[], options: QpdfOptions): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  if (refs.length === 0) return found;
  const log: string[] = [];
  try {
    const qpdf = await instantiate(options.wasmDir ?? packageDir(), options.heapLimitBytes, log);
    qpdf.FS.writeFile(INPUT, bytes);
    const selection = refs.map((ref) => `--json-object=${ref.replace(/ R$/, '').replace(' ', ',')}`);
    const outcome = run(qpdf, ['--json=2', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=none', ...selection, INPUT, OUTPUT], log);
    if ('error' in outcome || (outcome.code !== 0 && outcome.code !== EXIT_WARNINGS)) return found;
    const parsed = JSON.parse(new TextDecoder().decode(qpdf.FS.readFile(OUTPUT))) as {
      qpdf: [unknown, Record<string, { stream?: { data?: string } }>];
    };
    for (const [key, entry] of Object.entries(parsed.qpdf[1] ?? {})) {
      if (typeof entry.stream?.data === 'string') found.set(key.replace(/^obj:/, ''), Buffer.from(entry.stream.data, 'base64'));
    }
  } catch {
    // an engine failure leaves the streams unread; the caller treats them as unknown
  }
  return found;
}

/**
 * The decoded (and decrypted) data of the streams `refs`, with each one's dictionary as qpdf writes
 * it for the decoded data: what lets the cross-reference rebuild read the headers of object streams
 * in any filter chain (`pdf-xref-rebuild.ts`). Streams qpdf could not decode fully are left out.
 * Never throws; `out-of-memory` when decoding them took more than the heap limit.
 */
export async function readQpdfDecodedStreams(
  bytes: Uint8Array,
  refs: readonly string[],
  options: QpdfOptions,
): Promise<{ status: 'read'; streams: Map<string, { data: Uint8Array; dict: QpdfDict }> } | { status: 'out-of-memory' } | { status: 'failed' }> {
  const streams = new Map<string, { data: Uint8Array; dict: QpdfDict }>();
  if (refs.length === 0) return { status: 'read', streams };
  const log: string[] = [];
  try {
    const qpdf = await instantiate(options.wasmDir ?? packageDir(), options.heapLimitBytes, log);
    qpdf.FS.writeFile(INPUT, bytes);
    const selection = refs.map((ref) => `--json-object=${ref.replace(/ R$/, '').replace(' ', ',')}`);
    const outcome = run(qpdf, ['--json=2', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=generalized', ...selection, INPUT, OUTPUT], log);
    if ('error' in outcome || (outcome.code !== 0 && outcome.code !== EXIT_WARNINGS)) return isOutOfMemory(log) ? { status: 'out-of-memory' } : { status: 'failed' };
    const parsed = JSON.parse(new TextDecoder().decode(qpdf.FS.readFile(OUTPUT))) as {
      qpdf: [unknown, Record<string, { stream?: { data?: string; dict?: QpdfDict } }>];
    };
    for (const [key, entry] of Object.entries(parsed.qpdf[1] ?? {})) {
      const dict = entry.stream?.dict ?? {};
      if (typeof entry.stream?.data === 'string' && dict['/Filter'] === undefined) {
        streams.set(key.replace(/^obj:/, ''), { data: Buffer.from(entry.stream.data, 'base64'), dict });
      }
    }
  } catch (error) {
    return isOutOfMemory([String((error as Error)?.message ?? error)]) ? { status: 'out-of-memory' } : { status: 'failed' };
  }
  return { status: 'read', streams };
}
