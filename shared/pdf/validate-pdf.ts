/**
 * The PDF validator: bytes in, verdict out. Pure apart from CPU and memory (no file system,
 * environment, network or AWS), and it never throws: any input, however broken, gets a verdict.
 *
 * Three views of the file are combined:
 * 1. `precheck` — header, `%%EOF`, `startxref`: is the file damaged (so a parser had to repair it)?
 * 2. `rawScan` — a bounded tokenizer over the body and decoded object streams: active content
 *    pdf.js does not expose (Launch, RichMedia, XFA scripts), and a second opinion on the rest.
 * 3. pdf.js — the real parser: pages, passwords, Info, JavaScript, attachments, annotations, text.
 * The parser's view is preferred for places shown to the educator; anything either view finds counts.
 */

import type { Reason } from '../errors.js';
import { resolvePdfPolicy, type PdfPolicy } from './pdf-policy.js';
import { precheck, type Precheck } from './pdf-precheck.js';
import { DEFAULT_RAW_SCAN_LIMITS, rawScan, type ActiveContentKind, type RawScan } from './pdf-raw-scan.js';
import { pdfReasons } from './pdf-reasons.js';
import { openPdf } from './pdfjs-document.js';
import { emptyFindings, inspectDocument, type PdfjsFindings } from './pdfjs-inspect.js';

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
  /** Kinds of active content found: `javascript`, `launch`, `embedded-files`, `rich-media`, `xfa`. */
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
}

export type { PdfPolicy } from './pdf-policy.js';

type PdfjsOutcome =
  | { status: 'opened' }
  | { status: 'password' }
  | { status: 'failed'; message: string }
  | { status: 'timeout' };

const ACTIVE_KINDS: readonly ActiveContentKind[] = ['javascript', 'launch', 'embedded-files', 'rich-media', 'xfa'];

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

/** Places to name in a message: the parser's when it found any, else the raw scan's. */
function placesFor(kind: ActiveContentKind, found: PdfjsFindings, raw: RawScan['findings']): string[] {
  const parsed =
    kind === 'javascript'
      ? found.javascript
      : kind === 'embedded-files'
        ? found.embeddedFiles
        : kind === 'rich-media'
          ? found.richMedia
          : [];
  if (parsed.length > 0) return parsed;
  return raw.filter((f) => f.kind === kind).map((f) => (f.object ? `${f.what} in object ${f.object}` : f.what));
}

function activeContentReasons(
  policy: PdfPolicy,
  found: PdfjsFindings,
  raw: RawScan['findings'],
  metadata: PdfMetadata,
  reasons: Reason[],
  warnings: Reason[],
): void {
  const present = (kind: ActiveContentKind): boolean =>
    raw.some((f) => f.kind === kind) ||
    (kind === 'javascript' && found.javascript.length > 0) ||
    (kind === 'embedded-files' && found.embeddedFiles.length > 0) ||
    (kind === 'rich-media' && found.richMedia.length > 0) ||
    (kind === 'xfa' && found.xfa === true);
  for (const kind of ACTIVE_KINDS) {
    if (!present(kind)) continue;
    metadata.activeContent.push(kind);
    const places = placesFor(kind, found, raw);
    const action = {
      javascript: policy.javascript,
      launch: policy.launch,
      'embedded-files': policy.embeddedFiles,
      'rich-media': policy.richMedia,
      xfa: policy.xfa,
    }[kind];
    const flagged = action === 'flag';
    const reason = {
      javascript: () => pdfReasons.javascript(places, flagged),
      launch: () => pdfReasons.launch(places, flagged),
      'embedded-files': () => pdfReasons.embeddedFiles(places, flagged),
      'rich-media': () => pdfReasons.richMedia(places, flagged),
      xfa: () => pdfReasons.xfa(flagged),
    }[kind]();
    (flagged ? warnings : reasons).push(reason);
  }
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

async function check(bytes: Uint8Array, overrides: Partial<PdfPolicy> | undefined, metadata: PdfMetadata): Promise<PdfVerdict> {
  const verdict = (reasons: Reason[], warnings: Reason[] = []): PdfVerdict => ({
    ok: reasons.length === 0,
    reasons,
    warnings,
    metadata,
  });
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
  if (!raw.complete) return verdict([pdfReasons.timeout(policy.timeoutMs, "scanning the file's structure")]);
  // Before any parser expands it: pdf.js would decode a bombed page content stream whole.
  if (raw.bombs.length > 0) return verdict([pdfReasons.decompressionBomb(raw.bombs, DEFAULT_RAW_SCAN_LIMITS.maxDecodedStreamBytes)]);
  // Not a single `N G obj`: there is nothing a parser could recover, and pdf.js's recovery scan of
  // a large garbage file is slow and memory-hungry. Answer without it.
  if (raw.objects === 0) {
    return verdict([
      pre.headerOffset === null ? pdfReasons.notAPdf(pre.otherFormat) : pdfReasons.unreadable('it contains no PDF objects', pre.damage),
    ]);
  }

  const found = emptyFindings();
  const outcome = await runPdfjs(bytes, policy, deadline, found);
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
      reasons.push(pdfReasons.unreadable(outcome.message, pre.damage));
      break;
    case 'timeout':
      reasons.push(pdfReasons.timeout(policy.timeoutMs, found.stage));
      break;
    case 'opened':
      documentReasons(policy, pre, found, metadata, reasons, warnings);
      break;
  }
  // A repaired or unparsed file may be read differently by other viewers: count every finding.
  const trusted = outcome.status === 'opened' && pre.damage.length === 0;
  activeContentReasons(policy, found, trusted ? raw.findings : [...raw.findings, ...raw.unreachable], metadata, reasons, warnings);
  if (raw.nonStandardFilters.length > 0 && outcome.status === 'opened') {
    warnings.push(pdfReasons.nonStandardCompression(raw.nonStandardFilters));
  }
  return verdict(reasons, warnings);
}

/** Checks a PDF against the policy (defaults overlaid with `policy`). Never throws. */
export async function validatePdf(bytes: Uint8Array, policy?: Partial<PdfPolicy>): Promise<PdfVerdict> {
  const metadata: PdfMetadata = { encrypted: false, activeContent: [] };
  try {
    return await check(bytes, policy, metadata);
  } catch (error) {
    return { ok: false, reasons: [pdfReasons.checkFailed(errorText(error))], warnings: [], metadata };
  }
}
