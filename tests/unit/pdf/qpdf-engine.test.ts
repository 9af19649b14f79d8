/**
 * qpdf's WebAssembly loader offers no hook for its instantiate call, so the engine answers that one
 * call itself while qpdf starts. Other WebAssembly in the same process — the embedded database
 * (PGlite) instantiates its own module while PDFs are checked — must be left alone, and
 * simultaneous PDF checks must each get a working qpdf.
 */
import { describe, expect, it } from 'vitest';
import { readQpdfGraph } from '../../../shared/pdf/qpdf-engine.js';
import { objStmPdf } from '../../helpers/hostile-pdf.js';
import { simplePdf } from '../../helpers/make-pdf.js';

/** A module importing `env.answer` and exporting `get`, which returns what `answer` returns. */
const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
  0x02, 0x0e, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x61, 0x6e, 0x73, 0x77, 0x65, 0x72, 0x00, 0x00, // import env.answer
  0x03, 0x02, 0x01, 0x00, // function section
  0x07, 0x07, 0x01, 0x03, 0x67, 0x65, 0x74, 0x00, 0x01, // export "get" = func 1
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b, // code: call 0
]);

interface Instantiated { instance: { exports: { get(): number } } }
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<Instantiated> } }).WebAssembly;

describe('the qpdf engine beside other WebAssembly', () => {
  it('leaves modules instantiated while qpdf starts untouched, and serves simultaneous checks', async () => {
    const pdf = simplePdf();
    const options = { heapLimitBytes: 256 * 1024 * 1024 };
    expect((await readQpdfGraph(pdf, options)).status).toBe('read'); // compiled once, as in a warm Lambda
    const checks = Array.from({ length: 3 }, () => readQpdfGraph(pdf, options));
    // Instantiate another module at every step while the checks start qpdf (its loader runs on
    // microtasks, so this does too).
    const started: Promise<number>[] = [];
    for (let n = 0; n < 200; n += 1) {
      started.push(WebAssemblyApi.instantiate(MODULE, { env: { answer: () => n } }).then(({ instance }) => instance.exports.get()));
      await null;
    }
    const answers = await Promise.all(started);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers).toEqual(answers.map((_, i) => i));
    for (const graph of await Promise.all(checks)) {
      expect(graph.status).toBe('read');
      if (graph.status === 'read') expect(graph.objects.size).toBeGreaterThan(0);
    }
  });

  it("holds qpdf to its heap limit: an object stream that needs more memory is out-of-memory, not read", async () => {
    // An 8 MB string in a Flate object stream (a few KB of file): qpdf decodes the stream whole.
    const pdf = objStmPdf({ 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: '<< /Type /Pages /Kids [] /Count 0 >>', 3: `(${'A'.repeat(8 * 1024 * 1024)})` }, {}, 'flate');
    expect(pdf.byteLength).toBeLessThan(1024 * 1024);
    expect((await readQpdfGraph(pdf, { heapLimitBytes: 24 * 1024 * 1024 })).status).toBe('out-of-memory');
    // The same file within a larger limit is read: the limit, not the file, stopped it.
    expect((await readQpdfGraph(pdf, { heapLimitBytes: 1024 * 1024 * 1024 })).status).toBe('read');
  });
});
