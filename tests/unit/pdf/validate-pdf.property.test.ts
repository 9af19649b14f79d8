import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePdf, type PdfVerdict } from '../../../shared/pdf/validate-pdf.js';
import { pdfString, simplePdf } from '../../helpers/make-pdf.js';

const CODE = /^pdf\.[a-z-]+$/;

function expectWellFormed(verdict: PdfVerdict): void {
  expect(typeof verdict.ok).toBe('boolean');
  // ok exactly when nothing rejects it and the check finished (an overrun is retried, not judged)
  expect(verdict.ok).toBe(verdict.reasons.length === 0 && verdict.overrun === undefined);
  for (const reason of [...verdict.reasons, ...verdict.warnings]) {
    expect(reason.code).toMatch(CODE);
    expect(reason.message.length).toBeGreaterThan(20);
  }
  expect(typeof verdict.metadata.encrypted).toBe('boolean');
  expect(Array.isArray(verdict.metadata.activeContent)).toBe(true);
  // never the "checker failed" verdict: every input is judged
  expect(verdict.reasons.map((r) => r.code)).not.toContain('pdf.check-failed');
}

const seeds: Uint8Array[] = [
  simplePdf({ pages: 2 }),
  simplePdf({ objectStream: true, catalog: '/OpenAction 10 0 R', extra: [`<< /S /JavaScript /JS ${pdfString('x')} >>`] }),
  simplePdf({ text: false, catalog: '/Names << /EmbeddedFiles 10 0 R >>', extra: ['<< /Names [(a) 11 0 R] >>', '<< /EF << /F 12 0 R >> >>', { dict: '<< >>', stream: 'x' }] }),
];

/** A valid PDF with a few bytes overwritten, a slice cut out, or bytes inserted. */
const mutatedPdf = fc
  .record({
    seed: fc.constantFrom(...seeds),
    kind: fc.constantFrom('overwrite', 'cut', 'insert', 'truncate'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 64 }),
    junk: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  })
  .map(({ seed, kind, at, length, junk }) => {
    const position = Math.floor(at * seed.length);
    const bytes = Array.from(seed);
    if (kind === 'overwrite') bytes.splice(position, junk.length, ...junk);
    else if (kind === 'cut') bytes.splice(position, length);
    else if (kind === 'insert') bytes.splice(position, 0, ...junk);
    else bytes.length = position;
    return Uint8Array.from(bytes);
  });

describe('validatePdf never throws', () => {
  it('judges arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        expectWellFormed(await validatePdf(bytes, { timeoutMs: 5_000 }));
      }),
      { numRuns: 150 },
    );
  });

  it('judges arbitrary bytes behind a PDF header', async () => {
    const withHeader = fc
      .uint8Array({ maxLength: 2048 })
      .map((tail) => Uint8Array.from([...Buffer.from('%PDF-1.7\n'), ...tail]));
    await fc.assert(
      fc.asyncProperty(withHeader, async (bytes) => {
        const verdict = await validatePdf(bytes, { timeoutMs: 5_000 });
        expectWellFormed(verdict);
      }),
      { numRuns: 100 },
    );
  });

  it('judges mutated valid PDFs', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedPdf, async (bytes) => {
        expectWellFormed(await validatePdf(bytes, { timeoutMs: 5_000 }));
      }),
      { numRuns: 120 },
    );
  }, 300_000);

  it('judges inputs that are not Uint8Arrays at run time', async () => {
    for (const input of [undefined, null, 'a string', [1, 2, 3], new ArrayBuffer(8)]) {
      const verdict = await validatePdf(input as never);
      expect(verdict.ok).toBe(false);
      expect(verdict.reasons).toHaveLength(1);
    }
  });
});
