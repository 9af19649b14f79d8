/**
 * pdf.js ships no type declarations for its worker module. lectern imports it statically, so that
 * esbuild bundles it and pdf.js never looks for a worker file at run time.
 */
declare module 'pdfjs-dist/build/pdf.worker.mjs' {
  /** The worker side of pdf.js: answers the main side's messages on the given port. */
  export const WorkerMessageHandler: {
    initializeFromPort(port: unknown): void;
  };
}

/** The modern build's main side: the package's own types (they describe both builds). */
declare module 'pdfjs-dist/build/pdf.mjs' {
  export * from 'pdfjs-dist';
}
