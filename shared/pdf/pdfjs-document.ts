/**
 * Opens a PDF with pdf.js in this thread, with nothing fetched or read from disk at run time.
 *
 * pdf.js normally runs its parser in a Web Worker; in Node it falls back to a "fake worker"
 * whose messages are promise callbacks (microtasks), so a long parse never yields to timers
 * and a timeout could not fire until the parse ended. Instead both halves talk through a
 * `MessageChannel`, whose messages are macrotasks: the parser yields between messages (and
 * its own 20 ms time slices), so a timeout can fire and destroy the loading task.
 *
 * No `cMapUrl`, `standardFontDataUrl`, `iccUrl` or `wasmUrl` is given: the validator never
 * renders, and without `wasmUrl` pdf.js cannot decode JBIG2/JPEG 2000 images at all, which is
 * what keeps decompression bombs (a 100000×100000 JBIG2 "page") cheap.
 */

import { pdfjsLoaded } from './pdfjs-polyfills.js';
import type { MessagePort, TransferListItem } from 'node:worker_threads';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist/build/pdf.mjs';

// pdf.js is imported once the polyfills above have run: a static import would be evaluated before
// them wherever a bundler leaves pdf.js outside the bundle (the CLI's bundle does, scripts/build.mjs).
// In the Lambda's bundle it is inside, and this costs nothing more.
const [{ WorkerMessageHandler }, pdfjs] = await Promise.all([import('pdfjs-dist/build/pdf.worker.mjs'), import('pdfjs-dist/build/pdf.mjs')]);
pdfjsLoaded();
const { getDocument, PDFWorker, VerbosityLevel } = pdfjs;
/** pdf.js's constants, for pdfjs-inspect.ts (one place loads pdf.js). */
export const { AnnotationType, PermissionFlag } = pdfjs;

export interface OpenedPdf {
  task: PDFDocumentLoadingTask;
  /** Resolves with the document, or rejects (PasswordException, InvalidPDFException, …). */
  document: Promise<PDFDocumentProxy>;
  /** Destroys the document and the worker, and closes the channel. Never throws; bounded in time. */
  close(): Promise<void>;
}

const CLOSE_BUDGET_MS = 500;

type Listener = (this: unknown, event: unknown) => void;

/**
 * A `MessagePort` as pdf.js uses it (`postMessage`, `addEventListener` with an abort signal),
 * except that an exception in a listener is contained. pdf.js can throw on a message that arrives
 * after the stream or document it was for was cancelled; on a Node port that would be an uncaught
 * exception and end the process.
 *
 * Listeners are attached Node's way (`port.on('message')`, which hands over the data) and given
 * `{ data }`: a DOM-style listener on a Node port makes Node build a `MessageEvent` per message,
 * and its first one loads Node's bundled undici (fetch and friends), ~15 ms of CPU in a cold process.
 */
class GuardedPort {
  readonly #port: MessagePort;
  readonly #listeners = new Map<Listener, (data: unknown) => void>();

  constructor(port: MessagePort) {
    this.#port = port;
  }

  postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
    this.#port.postMessage(message, transfer ?? []);
  }

  addEventListener(type: string, listener: Listener, options?: { signal?: AbortSignal }): void {
    if (type !== 'message' || this.#listeners.has(listener) || options?.signal?.aborted) return;
    const guarded = (data: unknown): void => {
      try {
        listener.call(this, { data });
      } catch {
        // a late message for a cancelled stream or destroyed document: nothing is waiting for it
      }
    };
    this.#listeners.set(listener, guarded);
    this.#port.on('message', guarded);
    options?.signal?.addEventListener('abort', () => this.removeEventListener(type, listener), { once: true });
  }

  removeEventListener(type: string, listener: Listener): void {
    const guarded = this.#listeners.get(listener);
    if (!guarded) return;
    this.#listeners.delete(listener);
    this.#port.off('message', guarded);
  }

  close(): void {
    this.#listeners.clear();
    this.#port.close();
  }
}

/** Opens `data` (which pdf.js takes over: pass a copy the caller does not need). */
export function openPdf(data: Uint8Array): OpenedPdf {
  const channel = new MessageChannel();
  const port1 = new GuardedPort(channel.port1);
  const port2 = new GuardedPort(channel.port2);
  WorkerMessageHandler.initializeFromPort(port2);
  const worker = new PDFWorker({ port: port1 as never, verbosity: VerbosityLevel.ERRORS });
  const task = getDocument({
    data,
    worker,
    verbosity: VerbosityLevel.ERRORS,
    stopAtErrors: false,
    disableFontFace: true,
    useSystemFonts: false,
    fontExtraProperties: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    maxImageSize: 1,
    enableXfa: false,
  });
  // The loading promise may reject after we stopped listening (timeout): keep that quiet.
  task.promise.catch(() => undefined);
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          task.destroy(),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, CLOSE_BUDGET_MS);
          }),
        ]);
      } catch {
        // destroying a task that failed to load may reject; nothing is left to release
      } finally {
        clearTimeout(timer);
        worker.destroy();
        port1.close();
        port2.close();
      }
    })());
  return { task, document: task.promise, close };
}
