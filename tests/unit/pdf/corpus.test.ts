/**
 * Runs every PDF of the shared corpus (real-world files from pdf.js's test suite) through the
 * validator. Expectations come from the corpus manifest's referee columns (qpdf, pdfinfo, an
 * object walk), never from this validator's own output.
 *
 * Corpus: $LECTERN_CORPUS, else ../shared/corpus beside the repository. Where LECTERN_CORPUS is
 * set (.ci/run) it must exist;
 * elsewhere a missing corpus means no per-file cases.
 */

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PDF_POLICY } from '../../../shared/pdf/pdf-policy.js';
import { validatePdf } from '../../../shared/pdf/validate-pdf.js';
import { cpuMs } from '../../helpers/timed.js';
import { corpusRequired } from '../../helpers/smithy-validate.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const corpusRoot = process.env.LECTERN_CORPUS ?? resolve(repoRoot, '../shared/corpus');
const pdfDir = join(corpusRoot, 'pdf');
const present = existsSync(pdfDir);

type Row = Record<string, string>;

function readManifest(): Map<string, Row> {
  const path = join(pdfDir, 'MANIFEST.tsv');
  if (!existsSync(path)) return new Map();
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const columns = header!.split('\t');
  return new Map(
    lines.map((line) => {
      const cells = line.split('\t');
      const row = Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
      return [row.filename!, row];
    }),
  );
}

const manifest = present ? readManifest() : new Map<string, Row>();
const files = present ? readdirSync(pdfDir).filter((name) => name.toLowerCase().endsWith('.pdf')).sort() : [];

/** What the referees say, as expectations for the default policy. */
function refereeExpectations(row: Row | undefined) {
  const keys = (row?.active_content_keys ?? '').split(',').map((key) => key.replace(/^raw:/, ''));
  return {
    /** Both qpdf (rc 2, fine with the password) and pdfinfo (incorrect password) need a password. */
    needsPassword:
      row !== undefined &&
      row.qpdf_check_rc === '2' &&
      row.qpdf_check_rc_with_password !== '' &&
      /Incorrect password/.test(row.pdfinfo_encrypted ?? ''),
    javascript: row?.has_javascript === 'yes',
    launch: keys.includes('Launch'),
    attachments: keys.includes('EmbeddedFiles') || keys.includes('FileAttachment'),
    ordinaryText: row?.category === 'text',
    pdfinfoPages: row?.pdfinfo_rc === '0' && /^\d+$/.test(row.pdfinfo_pages ?? '') ? Number(row.pdfinfo_pages) : undefined,
  };
}

describe('PDF corpus', () => {
  it('is present wherever LECTERN_CORPUS names it (.ci/run)', () => {
    if (corpusRequired()) expect(present, `corpus not found at ${pdfDir} (set LECTERN_CORPUS)`).toBe(true);
    if (present) expect(files.length).toBeGreaterThan(0);
  });

  it.each([...manifest.values()].map((row) => [row.filename!, row] as const))(
    '%s is the file the manifest describes',
    (name, row) => {
      const bytes = readFileSync(join(pdfDir, name));
      expect(bytes.length).toBe(Number(row.size_bytes));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.sha256);
    },
  );

  it.each(files)('%s gets a verdict the referees agree with', async (name) => {
    const bytes = new Uint8Array(readFileSync(join(pdfDir, name)));
    // The default budget is wall time, which a busy machine stretches: the test injects a generous
    // one and checks the work itself (CPU time) fits the default.
    const started = cpuMs();
    const verdict = await validatePdf(bytes, { timeoutMs: 10 * 60_000 });
    expect(cpuMs() - started).toBeLessThan(DEFAULT_PDF_POLICY.timeoutMs);
    expect(verdict.ok).toBe(verdict.reasons.length === 0);
    const reasons = verdict.reasons.map((r) => r.code);
    expect(reasons).not.toContain('pdf.check-failed');
    expect(reasons).not.toContain('pdf.timeout');

    const expected = refereeExpectations(manifest.get(name));
    if (expected.needsPassword) {
      expect(reasons).toContain('pdf.user-password');
      expect(verdict.metadata.encrypted).toBe(true);
    }
    if (expected.javascript) expect(reasons).toContain('pdf.javascript');
    if (expected.launch) expect(reasons).toContain('pdf.launch-action');
    if (expected.attachments) expect(reasons).toContain('pdf.embedded-files');
    if (expected.ordinaryText) {
      expect(verdict.reasons).toEqual([]);
      expect(verdict.metadata.hasTextLayer).toBe(true);
    }
    if (expected.pdfinfoPages !== undefined && !reasons.includes('pdf.user-password')) {
      expect(verdict.metadata.pageCount).toBe(expected.pdfinfoPages);
    }
  }, 600_000); // a bound for a busy machine, not a budget
});
