/**
 * The PDF validator: bytes in, verdict out. Pure apart from CPU and memory (no file system,
 * environment, network or AWS), and it never throws: any input, however broken, gets a verdict.
 *
 * Four views of the file are combined:
 * 1. `precheck` — header, `%%EOF`, `startxref`: is the file damaged (so a parser had to repair it)?
 * 2. `rawScan` — a bounded tokenizer over the body: decompression bombs before any parser decodes
 *    them, and a second opinion on active content that can only add findings.
 * 3. qpdf's object graph (`qpdf-engine.ts`, `pdf-graph.ts`) — the objects as a reader resolves them
 *    (xref, object streams, decryption, incremental updates): the policy on actions (an allow-list),
 *    attachments, media and XFA scripts.
 * 4. pdf.js — the viewer students use in a browser: pages, passwords, Info, JavaScript, text layer.
 * The graph's places are named to the educator first; anything any view finds counts.
 */

import type { Reason } from '../contract/errors.js';
import { resolvePdfPolicy, type PdfPolicy } from './pdf-policy.js';
import { precheck, type Precheck } from './pdf-precheck.js';
import { decodeStream, IMAGE_FILTERS, maxDecodedSize, MAX_EXPANSION } from './pdf-filters.js';
import { scanGraph, type GraphFinding, type GraphKind } from './pdf-graph.js';
import { DEFAULT_RAW_SCAN_LIMITS, rawScan, type RawScan } from './pdf-raw-scan.js';
import { pdfReasons } from './pdf-reasons.js';
import { xfaHasScript } from './pdf-xfa.js';
import { openPdf } from './pdfjs-document.js';
import { emptyFindings, inspectDocument, type PdfjsFindings } from './pdfjs-inspect.js';
import { readRebuiltGraph } from './pdf-xref-rebuild.js';
import { readQpdfGraph, readQpdfStreams, type QpdfOptions } from './qpdf-engine.js';

export interface PdfMetadata {
  pageCount?: number;
  pdfVersion?: string;
  title?: string;
  author?: string;
  encrypted: boolean;
  /** Encrypted, but opens without a password (an owner password only restricts use). */
  ownerPasswordOnly?: boolean;
  /** Whether any sampled page has text; undefined when no page was sampled. */
  hasTextLayer?: boolean;
  /** How many of the sampled pages have text. */
  textLayerPages?: number;
  /** Kinds of active content found: `javascript`, `launch`, `embedded-files`, `rich-media`, `xfa`, `unsafe-action`. */
  activeContent: string[];
  linearized?: boolean;
}

export interface PdfVerdict {
  /** false → rejected; `reasons` say why. */
  ok: boolean;
  /** Why it is rejected (empty when ok). */
  reasons: Reason[];
  /** Accepted but flagged: owner password, damaged-but-recovered, no text layer, flagged content. */
  warnings: Reason[];
  /** As much as could be read, even when rejected. */
  metadata: PdfMetadata;
  /**
   * Set when the check ran out of time (a busy machine, not a verdict on the file): what it was
   * doing. `ok` is then false with no reasons, and the caller retries later.
   */
  overrun?: string;
  /**
   * pdf.js steps that failed on this file (the raw scan and qpdf's graph stood in for them): not
   * the educator's business, but not to be lost either — the caller logs them.
   */
  stepErrors?: string[];
}

/** Where qpdf's WebAssembly is, and how much memory it may take. */
export interface PdfEngineOptions {
  /** Directory of `qpdf.js` and `qpdf.wasm` (`LECTERN_QPDF_DIR`; on Lambda the `qpdf` layer, `/opt`). */
  qpdfDir?: string;
}

export type { PdfPolicy } from './pdf-policy.js';

type PdfjsOutcome =
  | { status: 'opened' }
  | { status: 'password' }
  | { status: 'failed'; message: string }
  | { status: 'timeout' };

const ACTIVE_KINDS: readonly GraphKind[] = ['javascript', 'launch', 'embedded-files', 'rich-media', 'xfa', 'unsafe-action'];

/**
 * Work budgets, counted in bytes, never in time. qpdf's heap (it decodes object streams whole) and
 * the decoded size of each stream and of all of a file's streams together stay within them, so the
 * validating process stays well under 1 GiB above its idle size whatever the file.
 */
export const PDF_WORK_LIMITS = {
  qpdfHeapBytes: 384 * 1024 * 1024,
  decodedStreamBytes: DEFAULT_RAW_SCAN_LIMITS.maxDecodedStreamBytes,
  decodedFileBytes: 512 * 1024 * 1024,
} as const;

/** Active content as the graph, pdf.js and the raw scan found it. */
interface Findings {
  graph: GraphFinding[];
  pdfjs: PdfjsFindings;
  raw: RawScan['findings'];
}

type GraphOutcome =
  /** `rebuilt`: read from a copy whose cross-reference table was rebuilt (`pdf-xref-rebuild.ts`). */
  | { status: 'read'; findings: GraphFinding[]; intact: boolean; rebuilt: boolean }
  | { status: 'bomb'; bombs: Array<{ object: string; compressedBytes: number }> }
  | { status: 'unavailable'; message: string }
  /** The engine itself did not load (a deployment fault): nothing may be published unchecked. */
  | { status: 'engine-failed'; message: string };

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message || 'unknown error').replace(/\.$/, '').slice(0, 300);
}

/** Opens the document with pdf.js and inspects it, within the time left before `deadline`. */
async function runPdfjs(bytes: Uint8Array, policy: PdfPolicy, deadline: number, found: PdfjsFindings): Promise<PdfjsOutcome> {
  const opened = openPdf(bytes.slice());
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<PdfjsOutcome>((resolve) => {
    timer = setTimeout(
      () => {
        timedOut = true;
        resolve({ status: 'timeout' });
      },
      Math.max(0, deadline - performance.now()),
    );
  });
  const work = (async (): Promise<PdfjsOutcome> => {
    let doc;
    try {
      doc = await opened.document;
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      return name === 'PasswordException' ? { status: 'password' } : { status: 'failed', message: errorText(error) };
    }
    await inspectDocument(doc, found, {
      maxPages: policy.maxPages,
      textLayerSamplePages: policy.textLayerSamplePages,
      shouldStop: () => timedOut,
    });
    return timedOut ? { status: 'timeout' } : { status: 'opened' };
  })().catch((error: unknown): PdfjsOutcome => ({ status: 'failed', message: errorText(error) }));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    await opened.close();
  }
}

/** Places to name in a message: the graph's when it found any, else pdf.js's, else the raw scan's. */
function placesFor(kind: GraphKind, found: Findings): string[] {
  const graph = found.graph.filter((f) => f.kind === kind);
  if (graph.length > 0) {
    return graph.map((f) => (kind === 'javascript' || kind === 'launch' || kind === 'xfa' ? f.where : `${f.what}, ${f.where}`));
  }
  const parsed =
    kind === 'javascript'
      ? found.pdfjs.javascript
      : kind === 'embedded-files'
        ? found.pdfjs.embeddedFiles
        : kind === 'rich-media'
          ? found.pdfjs.richMedia
          : [];
  if (parsed.length > 0) return parsed;
  return found.raw.filter((f) => f.kind === kind).map((f) => (f.object ? `${f.what} in object ${f.object}` : f.what));
}

function activeContentReasons(policy: PdfPolicy, found: Findings, metadata: PdfMetadata, reasons: Reason[], warnings: Reason[]): void {
  const present = (kind: GraphKind): boolean =>
    found.graph.some((f) => f.kind === kind) ||
    found.raw.some((f) => f.kind === kind) ||
    (kind === 'javascript' && found.pdfjs.javascript.length > 0) ||
    (kind === 'embedded-files' && found.pdfjs.embeddedFiles.length > 0) ||
    (kind === 'rich-media' && found.pdfjs.richMedia.length > 0) ||
    (kind === 'xfa' && found.pdfjs.xfa === true);
  for (const kind of ACTIVE_KINDS) {
    if (!present(kind)) continue;
    metadata.activeContent.push(kind);
    const places = placesFor(kind, found);
    const action = {
      javascript: policy.javascript,
      launch: policy.launch,
      'embedded-files': policy.embeddedFiles,
      'rich-media': policy.richMedia,
      xfa: policy.xfa,
      'unsafe-action': 'reject' as const,
    }[kind];
    const flagged = action === 'flag';
    const reason = {
      javascript: () => pdfReasons.javascript(places, flagged),
      launch: () => pdfReasons.launch(places, flagged),
      'embedded-files': () => pdfReasons.embeddedFiles(places, flagged),
      'rich-media': () => pdfReasons.richMedia(places, flagged),
      xfa: () => pdfReasons.xfa(flagged),
      'unsafe-action': () => pdfReasons.unsafeAction(places),
    }[kind]();
    (flagged ? warnings : reasons).push(reason);
  }
}

/**
 * Reads the object graph with qpdf and judges it: decompression bombs among the streams a reader
 * would decode (every filter chain, within the byte budgets), then every action, attachment,
 * media object and XFA script.
 */
async function judgeGraph(bytes: Uint8Array, raw: RawScan, engine: PdfEngineOptions): Promise<GraphOutcome> {
  const options: QpdfOptions = { heapLimitBytes: PDF_WORK_LIMITS.qpdfHeapBytes, ...(engine.qpdfDir ? { wasmDir: engine.qpdfDir } : {}) };
  let graph = await readQpdfGraph(bytes, options);
  // qpdf's WebAssembly stops at a broken cross-reference table (or any damage it would recover
  // from natively): rebuild the table as qpdf does and read the repaired copy, so that the
  // verdict still rests on the graph a reader resolves and not on the raw scan alone.
  let graphBytes = bytes;
  let rebuilt = false;
  let superseded = new Map<string, string>();
  if (graph.status === 'failed') {
    const repaired = await readRebuiltGraph(bytes, options);
    if (repaired.status === 'rebuilt' && (repaired.graph.status === 'read' || repaired.graph.status === 'out-of-memory')) {
      graph = repaired.graph;
      graphBytes = repaired.bytes;
      superseded = repaired.superseded;
      rebuilt = true;
    }
  }
  if (graph.status === 'out-of-memory') return { status: 'bomb', bombs: [{ object: 'its object streams', compressedBytes: bytes.length }] };
  if (graph.status === 'engine-failed') return graph;
  if (graph.status !== 'read') return { status: 'unavailable', message: graph.status === 'failed' ? graph.message : graph.status };
  const scan = scanGraph(graph.objects, graph.trailer, superseded);
  const limit = PDF_WORK_LIMITS.decodedStreamBytes;
  // Streams that could expand past the limit and that the raw scan could not probe (encrypted, or
  // hidden from a linear reading).
  const probed = new Set(raw.encrypted ? [] : raw.probedStreams.map((key) => `${key} R`));
  const candidates = scan.streams.filter(
    (s) =>
      !s.image &&
      s.filters.length > 0 &&
      !s.filters.some((f) => IMAGE_FILTERS.has(f)) &&
      s.filters.every((f) => MAX_EXPANSION[f] !== undefined) &&
      maxDecodedSize(s.length, s.filters) > limit &&
      !probed.has(s.ref),
  );
  const xfaRefs = new Set(scan.xfa);
  const wanted = [...new Set([...candidates.map((s) => s.ref), ...scan.xfa])];
  const data = await readQpdfStreams(graphBytes, wanted, options);
  const bombs: Array<{ object: string; compressedBytes: number }> = [];
  const packets = new Map<string, Uint8Array>();
  let total = 0;
  for (const stream of scan.streams) {
    const stored = data.get(stream.ref);
    if (!stored) continue;
    const decoded = decodeStream(stored, stream.filters, stream.parms, Math.min(limit, PDF_WORK_LIMITS.decodedFileBytes - total));
    const object = stream.ref.replace(/ R$/, '');
    if (decoded.status === 'over-budget') bombs.push({ object, compressedBytes: stored.length });
    else if (decoded.status === 'decoded') {
      total += decoded.data.length;
      if (xfaRefs.has(stream.ref)) packets.set(stream.ref, decoded.data);
    }
  }
  if (bombs.length > 0) return { status: 'bomb', bombs };
  // In packet order, as a viewer concatenates them.
  const ordered = scan.xfa.map((ref) => packets.get(ref)).filter((p): p is Uint8Array => p !== undefined);
  const findings = [...scan.findings];
  if (ordered.length > 0 && (await xfaHasScript(ordered))) findings.push({ kind: 'javascript', what: 'a script', where: 'in the XFA form', reachable: true });
  return { status: 'read', findings, intact: graph.warnings.length === 0 && !rebuilt, rebuilt };
}

function documentReasons(
  policy: PdfPolicy,
  pre: Precheck,
  found: PdfjsFindings,
  metadata: PdfMetadata,
  reasons: Reason[],
  warnings: Reason[],
): void {
  const pageCount = found.pageCount ?? 0;
  if (metadata.encrypted) {
    metadata.ownerPasswordOnly = true;
    const reason = pdfReasons.ownerPassword(found.restrictions);
    (policy.ownerPasswordOnly === 'accept' ? warnings : reasons).push(reason);
  }
  if (pageCount === 0) {
    reasons.push(pre.headerOffset === null ? pdfReasons.notAPdf(pre.otherFormat) : pdfReasons.noPages());
    return;
  }
  if (pageCount > policy.maxPages) reasons.push(pdfReasons.tooManyPages(pageCount, policy.maxPages));
  if (found.pageErrors.length > 0) reasons.push(pdfReasons.pagesUnreadable(found.pageErrors));
  if (pre.damage.length > 0) (policy.damaged === 'accept' ? warnings : reasons).push(pdfReasons.damaged(pre.damage));
  if (found.textPagesChecked.length > 0) {
    metadata.hasTextLayer = found.textPagesWithText.length > 0;
    metadata.textLayerPages = found.textPagesWithText.length;
    if (!metadata.hasTextLayer) warnings.push(pdfReasons.noTextLayer(found.textPagesChecked, pageCount));
  }
}

async function check(
  bytes: Uint8Array,
  overrides: Partial<PdfPolicy> | undefined,
  engine: PdfEngineOptions,
  metadata: PdfMetadata,
): Promise<PdfVerdict> {
  const verdict = (reasons: Reason[], warnings: Reason[] = []): PdfVerdict => ({
    ok: reasons.length === 0,
    reasons,
    warnings,
    metadata,
  });
  const overrun = (stage: string): PdfVerdict => ({ ok: false, reasons: [], warnings: [], metadata, overrun: stage });
  const { policy, problems } = resolvePdfPolicy(overrides);
  if (problems.length > 0) return verdict([pdfReasons.invalidPolicy(problems)]);
  if (!(bytes instanceof Uint8Array)) return verdict([pdfReasons.checkFailed('the input is not a byte array')]);
  if (bytes.length === 0) return verdict([pdfReasons.empty()]);
  if (bytes.length > policy.maxBytes) return verdict([pdfReasons.tooLarge(bytes.length, policy.maxBytes)]);

  const deadline = performance.now() + policy.timeoutMs;
  const pre = precheck(bytes);
  const raw = rawScan(bytes, DEFAULT_RAW_SCAN_LIMITS, deadline);
  if (pre.headerVersion) metadata.pdfVersion = pre.headerVersion;
  metadata.encrypted = raw.encrypted;
  metadata.linearized = raw.linearized;
  if (!raw.complete) return overrun("scanning the file's structure");
  // Before any parser expands it: pdf.js would decode a bombed page content stream whole.
  if (raw.bombs.length > 0) return verdict([pdfReasons.decompressionBomb(raw.bombs, PDF_WORK_LIMITS.decodedStreamBytes)]);
  // Not a single `N G obj`: there is nothing a parser could recover, and pdf.js's recovery scan of
  // a large garbage file is slow and memory-hungry. Answer without it.
  if (raw.objects === 0) {
    return verdict([
      pre.headerOffset === null ? pdfReasons.notAPdf(pre.otherFormat) : pdfReasons.unreadable('it contains no PDF objects', pre.damage),
    ]);
  }

  const graph = await judgeGraph(bytes, raw, engine);
  if (graph.status === 'bomb') return verdict([pdfReasons.decompressionBomb(graph.bombs, PDF_WORK_LIMITS.decodedStreamBytes)]);
  if (graph.status === 'engine-failed') return verdict([pdfReasons.checkFailed(graph.message)]);
  if (performance.now() > deadline) return overrun('reading the object graph');
  // The pre-check reads only the newest cross-reference section and the first entries of a table;
  // a table qpdf could not follow is damage too, whatever the pre-check saw.
  const damage =
    graph.status === 'read' && graph.rebuilt && pre.damage.length === 0
      ? ['its cross-reference table or one of its streams could not be read as it is (its objects were found by reading the whole file)']
      : pre.damage;

  const found = emptyFindings();
  const outcome = await runPdfjs(bytes, policy, deadline, found);
  if (outcome.status === 'timeout') return overrun(found.stage);
  if (found.pageCount !== undefined) metadata.pageCount = found.pageCount;
  if (found.pdfVersion) metadata.pdfVersion = found.pdfVersion;
  if (found.title) metadata.title = found.title;
  if (found.author) metadata.author = found.author;
  if (found.linearized !== undefined) metadata.linearized = found.linearized || raw.linearized;
  metadata.encrypted ||= found.encryptFilter !== undefined || outcome.status === 'password';

  const reasons: Reason[] = [];
  const warnings: Reason[] = [];
  if (outcome.status === 'failed' && pre.headerOffset === null) {
    return verdict([pdfReasons.notAPdf(pre.otherFormat)]);
  }
  switch (outcome.status) {
    case 'password':
      metadata.ownerPasswordOnly = false;
      reasons.push(pdfReasons.userPassword());
      break;
    case 'failed':
      reasons.push(pdfReasons.unreadable(outcome.message, damage));
      break;
    case 'opened':
      documentReasons(policy, { ...pre, damage }, found, metadata, reasons, warnings);
      break;
  }
  // A repaired or unparsed file may be read differently by other viewers, and without qpdf's graph
  // the raw scan is all there is on structure: count every finding.
  // Objects nothing refers to are never run by a reader of an intact file (typically what an
  // incremental save removed); in a damaged one, readers may repair the file into reaching them.
  const trusted = outcome.status === 'opened' && damage.length === 0 && graph.status === 'read' && graph.intact;
  const graphFindings = graph.status === 'read' ? graph.findings.filter((f) => f.reachable || !trusted) : [];
  activeContentReasons(
    policy,
    { graph: graphFindings, pdfjs: found, raw: trusted ? raw.findings : [...raw.findings, ...raw.unreachable] },
    metadata,
    reasons,
    warnings,
  );
  if (raw.nonStandardFilters.length > 0 && outcome.status === 'opened') {
    warnings.push(pdfReasons.nonStandardCompression(raw.nonStandardFilters));
  }
  return { ...verdict(reasons, warnings), ...(found.stepErrors.length > 0 ? { stepErrors: found.stepErrors } : {}) };
}

/** Checks a PDF against the policy (defaults overlaid with `policy`). Never throws. */
export async function validatePdf(bytes: Uint8Array, policy?: Partial<PdfPolicy>, engine: PdfEngineOptions = {}): Promise<PdfVerdict> {
  const metadata: PdfMetadata = { encrypted: false, activeContent: [] };
  try {
    return await check(bytes, policy, engine, metadata);
  } catch (error) {
    return { ok: false, reasons: [pdfReasons.checkFailed(errorText(error))], warnings: [], metadata };
  }
}
