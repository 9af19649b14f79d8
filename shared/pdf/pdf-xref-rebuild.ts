/**
 * Rebuilding a damaged cross-reference table the way qpdf does (QPDF::reconstruct_xref), so that
 * a file whose xref is broken — on purpose or not — is still judged on the object graph qpdf
 * resolves, not on a linear scan alone.
 *
 * qpdf's WebAssembly build cannot run its own reconstruction (see docs/pdf-validation.md, "When
 * qpdf cannot read a file"), and it gives up on every other error it would recover from natively,
 * such as a stream whose `/Length` is wrong. So the same steps are taken here, on the bytes, and
 * the result is written as a *repaired copy* that qpdf then reads like any intact file:
 *
 * 1. Every line is looked at, as qpdf does: a line whose first token starts `N G obj` defines
 *    object N (stream data is not skipped: qpdf does not skip it either), one whose first token is
 *    `trailer` starts a trailer dictionary. The **last definition** of each object number wins.
 * 2. The trailer is the last `trailer` dictionary that has a `/Root`; failing that, the dictionary
 *    of the cross-reference stream with the largest `/Size` (the later one on a tie); failing that,
 *    the `/Type /Catalog` object with the highest number becomes the `/Root`. `/Info`, `/Encrypt`
 *    and `/ID` are taken from the same dictionary, verbatim.
 * 3. A stream whose `/Length` does not end at `endstream` gets the length qpdf recovers: up to the
 *    first `endstream` or `endobj` after its data, or nothing if another object starts first.
 *    Such an object is copied, with that length written in, after the original bytes.
 * 4. Objects packed in object streams are found by asking qpdf itself to decode those streams
 *    (`planRebuild` lists them; qpdf decodes them with every standard filter and decrypts them)
 *    and reading their headers: an object defined both ways keeps its plain definition, as pdf.js
 *    does when it rebuilds a table.
 * 5. A cross-reference stream (classic entries and compressed ones) and `startxref` are appended.
 *
 * Work is bounded in bytes and objects, never in time: the scan reads each byte a fixed number of
 * times, dictionaries are read with a token budget, and past `maxObjects` definitions the file is
 * not rebuilt at all (the caller keeps its fallback).
 *
 * The scan is `pdf-xref-scan.ts` (steps 1–3), the writing of the repaired copy
 * `pdf-xref-write.ts` (steps 4–5); this module runs qpdf on the copies.
 */

import { readQpdfDecodedStreams, readQpdfGraph, type QpdfDict, type QpdfGraph, type QpdfOptions } from './qpdf-engine.js';
import { DEFAULT_XREF_REBUILD_LIMITS, planRebuild, type RebuildPlan, type XrefRebuildLimits } from './pdf-xref-scan.js';
import { writeRebuilt } from './pdf-xref-write.js';

export type RebuiltGraph =
  | {
      status: 'rebuilt';
      graph: QpdfGraph;
      bytes: Uint8Array;
      source: RebuildPlan['source'];
      /** Objects of the copy (`23 0 R`) that are earlier definitions of an object (`5 0`). */
      superseded: Map<string, string>;
    }
  | { status: 'not-rebuilt'; why: string };

/**
 * Rebuilds the cross-reference table of `bytes` and reads the repaired copy with qpdf: one run for
 * the object streams' headers when there are object streams (or one per object stream, at most
 * `maxSeparateObjectStreamRuns`, when one of them cannot be decoded), then one for the graph.
 * Never throws.
 */
export async function readRebuiltGraph(bytes: Uint8Array, options: QpdfOptions, limits: XrefRebuildLimits = DEFAULT_XREF_REBUILD_LIMITS): Promise<RebuiltGraph> {
  const planned = planRebuild(bytes, limits);
  if (planned.status !== 'planned') return planned;
  const { plan } = planned;
  const decoded = new Map<number, { data: Uint8Array; first: number; count: number }>();
  if (plan.objectStreams.length > 0) {
    const standIn = writeRebuilt(plan, new Map(), 'stand-in', limits);
    if (!standIn) return { status: 'not-rebuilt', why: 'too many objects' };
    const refs = plan.objectStreams.map((num) => `${num} ${plan.objects.get(num)!.gen} R`);
    let read = await readQpdfDecodedStreams(standIn.bytes, refs, options);
    if (read.status === 'failed' && refs.length > 1) {
      // One undecodable object stream stops qpdf's WebAssembly: decode them one by one.
      if (refs.length > limits.maxSeparateObjectStreamRuns) return { status: 'not-rebuilt', why: 'one of its many object streams cannot be decoded' };
      const streams = new Map<string, { data: Uint8Array; dict: QpdfDict }>();
      for (const ref of refs) {
        const one = await readQpdfDecodedStreams(standIn.bytes, [ref], options);
        if (one.status === 'out-of-memory') read = one;
        if (one.status === 'read') for (const [key, value] of one.streams) streams.set(key, value);
      }
      if (read.status !== 'out-of-memory') read = { status: 'read', streams };
    }
    if (read.status === 'out-of-memory') return { status: 'rebuilt', graph: { status: 'out-of-memory' }, bytes: standIn.bytes, source: plan.source, superseded: new Map() };
    if (read.status === 'read') {
      for (const [ref, { data, dict }] of read.streams) {
        const first = dict['/First'];
        const count = dict['/N'];
        if (typeof first === 'number' && typeof count === 'number') decoded.set(Number(ref.split(' ')[0]), { data, first, count });
      }
    }
  }
  const copy = writeRebuilt(plan, decoded, 'trailer', limits);
  if (!copy) return { status: 'not-rebuilt', why: 'no document catalog was found in it' };
  return { status: 'rebuilt', graph: await readQpdfGraph(copy.bytes, options), bytes: copy.bytes, source: plan.source, superseded: copy.superseded };
}
