/**
 * What pdf.js's public API says about a document: page count, Info, encryption, JavaScript,
 * attachments, annotations that carry files or media, and whether sampled pages have text.
 * Never renders and never decodes images. Results are written into `found` as they arrive,
 * so a caller that gives up (timeout) still has everything read so far.
 */

import type { PDFDocumentProxy } from 'pdfjs-dist/build/pdf.mjs';
import { AnnotationType, PermissionFlag } from './pdfjs-document.js';

export interface PdfjsFindings {
  /** What the inspection was doing last; names the step in a timeout message. */
  stage: string;
  pageCount?: number;
  pdfVersion?: string;
  title?: string;
  author?: string;
  /** Name of the security handler (`Standard`) when the document is encrypted. */
  encryptFilter?: string;
  linearized?: boolean;
  xfa?: boolean;
  /** Operations an owner password forbids (`printing`, `copying text`, …). */
  restrictions: string[];
  /** Where JavaScript runs, as phrases: `when the document is opened (OpenAction)`. */
  javascript: string[];
  embeddedFiles: string[];
  richMedia: string[];
  /** 1-based page numbers checked for text, and those that had some. */
  textPagesChecked: number[];
  textPagesWithText: number[];
  /** Pages pdf.js could not load: `page 3 (Invalid page tree)`. */
  pageErrors: string[];
  /** Pages pdf.js loaded. */
  pagesRead: number;
  /** Steps that failed on a damaged document (the raw scan covers what they would have found). */
  stepErrors: string[];
}

export interface InspectOptions {
  maxPages: number;
  textLayerSamplePages: number;
  /** Called between steps; returning true stops the inspection. */
  shouldStop: () => boolean;
}

/** Beyond this many pages, per-page JavaScript actions are read only on the sampled pages. */
const PAGE_ACTIONS_ALL_PAGES_UP_TO = 500;
const MAX_METADATA_CHARS = 500;

const DOCUMENT_EVENTS: Record<string, string> = {
  OpenAction: 'when the document is opened (OpenAction)',
  WillClose: 'when the document is closed',
  WillSave: 'before the document is saved',
  DidSave: 'after the document is saved',
  WillPrint: 'before the document is printed',
  DidPrint: 'after the document is printed',
};

const MEDIA_ANNOTATIONS: ReadonlyMap<number, string> = new Map([
  [AnnotationType.RICHMEDIA, 'a RichMedia annotation'],
  [AnnotationType.THREED, 'a 3D annotation'],
  [AnnotationType.SCREEN, 'a Screen (media player) annotation'],
  [AnnotationType.MOVIE, 'a Movie annotation'],
  [AnnotationType.SOUND, 'a Sound annotation'],
]);

const RESTRICTIONS: ReadonlyArray<[number, string]> = [
  [PermissionFlag.PRINT, 'printing'],
  [PermissionFlag.COPY, 'copying text'],
  [PermissionFlag.MODIFY_CONTENTS, 'editing'],
  [PermissionFlag.FILL_INTERACTIVE_FORMS, 'filling in forms'],
  [PermissionFlag.COPY_FOR_ACCESSIBILITY, 'text extraction for accessibility'],
];

export function emptyFindings(): PdfjsFindings {
  return {
    stage: 'opening the document',
    restrictions: [],
    javascript: [],
    embeddedFiles: [],
    richMedia: [],
    textPagesChecked: [],
    textPagesWithText: [],
    pageErrors: [],
    pagesRead: 0,
    stepErrors: [],
  };
}

/** Printable, bounded text from an Info/XMP value; undefined when blank. */
function cleanText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f\ufeff]+/g, ' ').trim();
  return text === '' ? undefined : text.slice(0, MAX_METADATA_CHARS);
}

function quoted(name: unknown): string {
  const text = cleanText(name) ?? 'unnamed';
  return `“${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;
}

/** Pages to probe for text: spread evenly over the document, first and last included. */
export function samplePages(pageCount: number, samples: number): number[] {
  if (samples <= 0 || pageCount <= 0) return [];
  if (pageCount <= samples) return Array.from({ length: pageCount }, (_, i) => i + 1);
  if (samples === 1) return [1];
  const pages = new Set<number>();
  for (let i = 0; i < samples; i++) pages.add(1 + Math.round((i * (pageCount - 1)) / (samples - 1)));
  return [...pages];
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 200 ? `${message.slice(0, 197)}…` : message;
}

/**
 * Whether a page's text content has visible characters. The stream is read to its end (chunks are
 * dropped, so memory stays flat): cancelling a pdf.js text stream midway leaves its worker task
 * unfinished, and destroying the document would then wait for it. Time is bounded by `shouldStop`.
 */
async function pageHasText(stream: ReadableStream, shouldStop: () => boolean): Promise<boolean> {
  const reader = stream.getReader();
  let hasText = false;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: { items?: Array<{ str?: unknown }> } };
    if (done) return hasText;
    if (!hasText) {
      hasText = (value?.items ?? []).some((item) => typeof item.str === 'string' && /\S/.test(item.str.replaceAll('\0', '')));
    }
    if (shouldStop()) {
      reader.cancel().catch(() => undefined); // stopping early: what the stream says after that is not wanted
      return hasText;
    }
  }
}

async function readMetadata(doc: PDFDocumentProxy, found: PdfjsFindings): Promise<void> {
  found.stage = 'reading the document information';
  const { info, metadata } = (await doc.getMetadata()) as {
    info: Record<string, unknown>;
    metadata: { get(name: string): unknown } | null;
  };
  const version = cleanText(info.PDFFormatVersion);
  if (version) found.pdfVersion = version;
  const title = cleanText(info.Title) ?? cleanText(metadata?.get('dc:title'));
  if (title) found.title = title;
  const author = cleanText(info.Author) ?? cleanText(metadata?.get('dc:creator'));
  if (author) found.author = author;
  const filter = cleanText(info.EncryptFilterName);
  if (filter) found.encryptFilter = filter;
  found.linearized = info.IsLinearized === true;
  found.xfa = info.IsXFAPresent === true;
  if (filter) {
    const permissions = (await doc.getPermissions()) as Set<number> | number[] | null;
    if (permissions) {
      const allowed = new Set(permissions);
      for (const [flag, label] of RESTRICTIONS) if (!allowed.has(flag)) found.restrictions.push(label);
    }
  }
}

async function readDocumentScripts(doc: PDFDocumentProxy, found: PdfjsFindings): Promise<void> {
  found.stage = 'looking for document scripts';
  const actions = await doc.getJSActions();
  for (const key of actions?.keys() ?? []) {
    found.javascript.push(DOCUMENT_EVENTS[key] ?? `in the document-level script ${quoted(key)}`);
  }
  // hasJSActions() is also true for fields whose `actions` is merely undefined: read the fields.
  if (await doc.hasJSActions()) {
    found.stage = 'looking for form field scripts';
    const fields = (await doc.getFieldObjects()) ?? {};
    for (const [name, widgets] of Object.entries(fields as Record<string, Array<{ actions?: unknown }>>)) {
      if (widgets.some((widget) => widget.actions)) found.javascript.push(`in the form field ${quoted(name)}`);
    }
  }
}

async function readAttachments(doc: PDFDocumentProxy, found: PdfjsFindings): Promise<void> {
  found.stage = 'looking for attachments';
  const attachments = (await doc.getAttachments()) as Map<string, { filename?: unknown }> | Record<string, unknown> | null;
  if (!attachments) return;
  const entries = attachments instanceof Map ? [...attachments.entries()] : Object.entries(attachments);
  for (const [name, value] of entries) {
    const file = (value as { filename?: unknown } | null)?.filename ?? name;
    found.embeddedFiles.push(quoted(file));
  }
}

async function readAnnotations(doc: PDFDocumentProxy, found: PdfjsFindings): Promise<void> {
  found.stage = 'looking for attachments and media in annotations';
  const types = new Set([AnnotationType.FILEATTACHMENT, ...MEDIA_ANNOTATIONS.keys()]);
  const annotations = (await doc.getAnnotationsByType(types, new Set())) as Array<{
    annotationType?: number;
    pageIndex?: number;
    file?: { filename?: unknown };
  }>;
  for (const annotation of annotations ?? []) {
    const page = typeof annotation.pageIndex === 'number' ? ` on page ${annotation.pageIndex + 1}` : '';
    if (annotation.annotationType === AnnotationType.FILEATTACHMENT) {
      found.embeddedFiles.push(`${quoted(annotation.file?.filename)} attached${page}`);
    } else {
      const label = MEDIA_ANNOTATIONS.get(annotation.annotationType ?? -1);
      if (label) found.richMedia.push(`${label}${page}`);
    }
  }
}

async function readPages(doc: PDFDocumentProxy, found: PdfjsFindings, options: InspectOptions): Promise<void> {
  const pageCount = doc.numPages;
  const sampled = new Set(samplePages(pageCount, options.textLayerSamplePages));
  const pages = pageCount <= PAGE_ACTIONS_ALL_PAGES_UP_TO ? Array.from({ length: pageCount }, (_, i) => i + 1) : [...sampled];
  for (const number of pages) {
    if (options.shouldStop()) return;
    found.stage = `reading page ${number}`;
    let page;
    try {
      page = await doc.getPage(number);
    } catch (error) {
      found.pageErrors.push(`page ${number} (${errorText(error).replace(/\.$/, '')})`);
      continue;
    }
    found.pagesRead++;
    const actions = (await page.getJSActions().catch((error: unknown) => {
      // The raw scan and qpdf's graph still see the page's /AA actions; the failure is kept.
      found.stepErrors.push(`reading page ${number}'s JavaScript actions: ${errorText(error)}`);
      return null;
    })) as Map<string, unknown> | object | null;
    const count = actions instanceof Map ? actions.size : actions ? Object.keys(actions).length : 0;
    if (count > 0) found.javascript.push(`when page ${number} is opened or closed`);
    if (sampled.has(number)) {
      found.stage = `looking for text on page ${number}`;
      try {
        if (await pageHasText(page.streamTextContent(), options.shouldStop)) found.textPagesWithText.push(number);
        found.textPagesChecked.push(number);
      } catch (error) {
        // Not counted as checked: a page whose text could not be read is not a page without text.
        found.stepErrors.push(`looking for text on page ${number}: ${errorText(error)}`);
      }
    }
    page.cleanup();
  }
}

/** Fills `found` from the document; stops early when `shouldStop()` says so. Failed steps go to `stepErrors`. */
export async function inspectDocument(doc: PDFDocumentProxy, found: PdfjsFindings, options: InspectOptions): Promise<void> {
  found.pageCount = doc.numPages;
  const steps = [
    () => readMetadata(doc, found),
    () => readDocumentScripts(doc, found),
    () => readAttachments(doc, found),
  ];
  if (doc.numPages <= options.maxPages) {
    steps.push(
      () => readAnnotations(doc, found),
      () => readPages(doc, found, options),
    );
  }
  for (const step of steps) {
    if (options.shouldStop()) return;
    try {
      await step();
    } catch (error) {
      found.stepErrors.push(`${found.stage}: ${errorText(error)}`);
    }
  }
}
