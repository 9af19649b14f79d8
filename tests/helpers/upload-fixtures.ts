/** Upload fixtures made in test setup: PDFs with pdf-lib, quizzes written by hand. */
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

export async function makeTextPdf(options: { pages?: number; title?: string; javascript?: string } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  if (options.title) doc.setTitle(options.title);
  for (let i = 0; i < (options.pages ?? 1); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Page ${i + 1}: the cell is the basic unit of life.`, { x: 50, y: 780, size: 14, font });
  }
  if (options.javascript) {
    const action = doc.context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(options.javascript) });
    doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(action));
  }
  return doc.save({ useObjectStreams: false });
}

export const text = (s: string) => new TextEncoder().encode(s);

export const GOOD_GIFT = `// Cell basics
::Q1:: Which organelle produces most of the cell's energy? {
  =Mitochondrion
  ~Nucleus
  ~Ribosome
}

::Q2:: The cell membrane is selectively permeable. {TRUE}
`;

/** Question 1 (line 3) has no correct answer; question 2 (line 8) never closes its answer block. */
export const BROKEN_GIFT = `// Broken on purpose

::Q1:: Which of these is a prokaryote? {
  ~Amoeba
  ~Yeast
}

::Q2:: DNA stands for {=deoxyribonucleic acid
`;

export const GOOD_NATIVE_YAML = `title: Cell check
questions:
  - id: q1
    type: multiple-choice
    stem: Which structure controls what enters the cell?
    choices:
      - text: Cell membrane
        correct: true
      - text: Cell wall
      - text: Nucleolus
`;
