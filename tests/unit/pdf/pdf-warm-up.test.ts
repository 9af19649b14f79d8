/**
 * ValidatePdf's init warm-up (shared/pdf/pdf-warm-up.ts): the Lambda handler validates a built-in
 * PDF while it is imported in a Lambda init, only there, and doing so changes no later verdict.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validatePdf } from '../../../shared/pdf/validate-pdf.js';
import { buildPdf, pdfString, simplePdf } from '../../helpers/make-pdf.js';

type WarmUpModule = typeof import('../../../shared/pdf/pdf-warm-up.js');

const JS_ACTION = `<< /Type /Action /S /JavaScript /JS ${pdfString("app.alert('hi');")} >>`;

/** Files of different verdicts: accepted, accepted with a warning, rejected, unreadable. */
const FILES: Record<string, () => Uint8Array> = {
  'a text PDF': () => simplePdf({ pages: 2, info: '/Title (Cells)' }),
  'a scanned PDF': () => simplePdf({ pages: 2, text: false }),
  'a PDF with an OpenAction script': () => simplePdf({ catalog: '/OpenAction 10 0 R', extra: [JS_ACTION] }),
  'a PDF in an object stream': () => simplePdf({ objectStream: true }),
  'a PDF without pages': () => buildPdf({ 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: '<< /Type /Pages /Kids [] /Count 0 >>' }),
  'not a PDF': () => new TextEncoder().encode('<html><body>not a pdf</body></html>'),
};

async function freshModules(env: Record<string, string | undefined>): Promise<WarmUpModule> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await import('../../../functions/validate-pdf/handler.js');
  return import('../../../shared/pdf/pdf-warm-up.js');
}

const saved = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
afterEach(() => {
  if (saved === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = saved;
});

describe('the PDF validator warm-up', () => {
  it('runs when the handler is imported in a Lambda init, and its document is accepted without warnings', async () => {
    const warmUp = await freshModules({ AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' });
    const outcome = warmUp.pdfWarmUpOutcome();
    expect(outcome).toMatchObject({ ok: true, problems: [] });
    expect(outcome!.ms).toBeGreaterThan(0);
  });

  it('does not run when the handler is imported outside Lambda (the local stack loads it for its first PDF)', async () => {
    const warmUp = await freshModules({ AWS_LAMBDA_INITIALIZATION_TYPE: undefined });
    expect(warmUp.pdfWarmUpOutcome()).toBeUndefined();
  });

  it('leaves every verdict as it was before it ran', async () => {
    vi.resetModules();
    const { pdfWarmUpOutcome, warmUpPdfValidator } = (await import('../../../shared/pdf/pdf-warm-up.js')) as WarmUpModule;
    const { validatePdf: validate } = (await import('../../../shared/pdf/validate-pdf.js')) as { validatePdf: typeof validatePdf };
    const before = new Map<string, unknown>();
    for (const [name, make] of Object.entries(FILES)) before.set(name, await validate(make()));
    expect(pdfWarmUpOutcome()).toBeUndefined();
    expect(await warmUpPdfValidator()).toMatchObject({ ok: true });
    for (const [name, make] of Object.entries(FILES)) expect({ name, verdict: await validate(make()) }).toEqual({ name, verdict: before.get(name) });
    // The set covers different outcomes, so "unchanged" says something.
    const outcomes = [...before.values()].map((v) => (v as { ok: boolean; warnings: unknown[] }).ok);
    expect(outcomes).toContain(true);
    expect(outcomes).toContain(false);
  });

  it('is reported as failed, not thrown, when qpdf cannot be loaded', async () => {
    const { warmUpPdfValidator } = await import('../../../shared/pdf/pdf-warm-up.js');
    const outcome = await warmUpPdfValidator({ qpdfDir: '/nonexistent/qpdf' });
    expect(outcome.ok).toBe(false);
    expect(outcome.problems.join('\n')).toMatch(/qpdf/);
  });
});
