/**
 * ValidatePdf: parse the PDF with a real parser and apply the stage's policy (passwords,
 * JavaScript, Launch actions, attachments, page limit). The PDF itself is the published output.
 */
import type { Deps } from '../runtime/deps.js';
import { DependencyUnavailableError } from '../contract/errors.js';

/** What validate pdf upload needs (its Lambda builds just this). */
export type ValidatePdfUploadDeps = Pick<Deps, 'config' | 'uploads'>;
import type { Validation, ValidateInput } from '../contract/pipeline.js';
import { logger } from '../runtime/logger.js';
import { validatePdf } from '../pdf/validate-pdf.js';
import { warmUpPdfValidator } from '../pdf/pdf-warm-up.js';
import { readSource } from './read-source.js';

export async function validatePdfUpload(input: ValidateInput, deps: ValidatePdfUploadDeps): Promise<Validation> {
  const { upload } = input;
  const { bytes, sha256 } = await readSource(deps, upload);
  const verdict = await validatePdf(
    bytes,
    { ...deps.config.pdfPolicy, maxPages: deps.config.limits.maxPages, maxBytes: deps.config.limits.maxBytes.pdf },
    deps.config.qpdfDir ? { qpdfDir: deps.config.qpdfDir } : {},
  );
  if (verdict.overrun) {
    // Time is not a property of the file: a busy machine must not reject it. Retried with backoff.
    throw new DependencyUnavailableError(
      `The PDF check ran out of time while ${verdict.overrun} (${deps.config.pdfPolicy.timeoutMs} ms); the machine was busy, so it will be tried again.`,
    );
  }
  if (verdict.stepErrors) logger.warn('pdf.js could not do every step on this PDF; the raw scan and qpdf covered them', { key: upload.source.key, stepErrors: verdict.stepErrors });
  const metadata = { ...verdict.metadata } as Record<string, unknown>;
  if (!verdict.ok) {
    return { accepted: false, format: 'pdf', reasons: verdict.reasons, warnings: verdict.warnings, metadata, contentSha256: sha256, artifacts: [] };
  }
  return {
    accepted: true,
    format: 'pdf',
    reasons: [],
    warnings: verdict.warnings,
    metadata,
    contentSha256: sha256,
    artifacts: [{ name: upload.fileName, contentType: 'application/pdf', sha256, size: bytes.byteLength, from: { store: 'uploads', key: upload.source.key } }],
  };
}

/**
 * ValidatePdf's init: one tiny built-in PDF through the validator before the first invocation, so
 * the first upload does not pay for compiling qpdf's WebAssembly and pdf.js (shared/pdf/pdf-warm-up.ts).
 * A warm-up that fails is logged, not thrown: the first upload's verdict then says what is wrong.
 */
export async function warmUpValidatePdfUpload(qpdfDir: string | undefined): Promise<void> {
  const outcome = await warmUpPdfValidator(qpdfDir ? { qpdfDir } : {});
  if (outcome.ok) logger.info('PDF validator warmed up during init', { ms: Math.round(outcome.ms) });
  else logger.error('the PDF validator failed its warm-up during init', { ms: Math.round(outcome.ms), problems: outcome.problems });
}
