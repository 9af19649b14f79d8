/**
 * Writes the example course's lesson PDF: three pages of text about cell structure, with a title
 * in the Info dictionary. Deterministic (fixed dates), so re-running it changes nothing.
 *
 *   npx tsx examples/make-example-pdf.ts
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

const OUTPUT = join(
  dirname(fileURLToPath(import.meta.url)),
  'courses/intro-to-biology/lessons/cells/cell-structure.pdf',
);

const TITLE = 'Cell Structure';
const FIXED_DATE = new Date('2025-01-06T09:00:00Z');

/** Each page: a heading and paragraphs. */
const PAGES: Array<{ heading: string; paragraphs: string[] }> = [
  {
    heading: 'Cell Structure: the basic unit of life',
    paragraphs: [
      'Every living organism is made of one or more cells. The cell theory, developed in the nineteenth century by Schleiden, Schwann and Virchow, states that all living things are composed of cells, that the cell is the basic unit of structure and function, and that new cells arise only from existing cells.',
      'Cells fall into two broad groups. Prokaryotic cells, such as bacteria and archaea, are small (typically 1 to 10 micrometres) and have no nucleus: their DNA lies in a region of the cytoplasm called the nucleoid. Eukaryotic cells, found in plants, animals, fungi and protists, are larger (typically 10 to 100 micrometres) and keep their DNA inside a membrane-bound nucleus.',
      'In this lesson we look at the structures that eukaryotic cells share, at the features that set plant cells apart from animal cells, and at how the parts of a cell work together.',
      'Learning goals: name the main organelles of a eukaryotic cell; describe the function of each; compare plant and animal cells; explain why cells are small.',
    ],
  },
  {
    heading: 'The plasma membrane, cytoplasm and nucleus',
    paragraphs: [
      'The plasma membrane surrounds every cell. It is a phospholipid bilayer, about 7 to 8 nanometres thick, in which proteins float like icebergs: the fluid mosaic model. The membrane is selectively permeable. Small non-polar molecules such as oxygen and carbon dioxide diffuse across it, while ions and larger polar molecules need channel or carrier proteins.',
      'The cytoplasm is everything inside the membrane except the nucleus. Its fluid part, the cytosol, is a crowded solution of ions, sugars, amino acids and enzymes. A network of protein fibres, the cytoskeleton, gives the cell its shape, anchors organelles and moves materials around.',
      'The nucleus holds the cell\'s DNA, organised with proteins into chromatin. It is enclosed by a double membrane, the nuclear envelope, perforated by nuclear pores that let messenger RNA out and proteins in. Inside, the nucleolus assembles the subunits of ribosomes.',
      'Ribosomes, made of RNA and protein, translate messenger RNA into polypeptides. Some float free in the cytosol; others are bound to the endoplasmic reticulum.',
    ],
  },
  {
    heading: 'Organelles of the endomembrane system and energy',
    paragraphs: [
      'The rough endoplasmic reticulum, studded with ribosomes, makes proteins destined for membranes or for export. The smooth endoplasmic reticulum makes lipids and detoxifies drugs. The Golgi apparatus modifies, sorts and packages these products into vesicles. Lysosomes contain digestive enzymes that break down worn-out organelles and engulfed particles.',
      'Mitochondria carry out aerobic respiration, releasing energy from glucose to make ATP. They have a double membrane, the inner one folded into cristae, and contain their own small circular DNA, evidence that they descend from free-living bacteria (the endosymbiotic theory).',
      'Plant cells have three structures that animal cells lack: a rigid cell wall of cellulose outside the membrane, chloroplasts that capture light energy in photosynthesis, and a large central vacuole that stores water and keeps the cell turgid.',
      'Why are cells small? As a cell grows, its volume increases faster than its surface area. A small cell has a large surface area relative to its volume, so materials can enter and leave quickly enough to supply the whole cell.',
      'Check your understanding: which organelles would you expect to find in large numbers in a muscle cell, and why?',
    ],
  },
];

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

function drawPage(page: PDFPage, content: (typeof PAGES)[number], fonts: { body: PDFFont; bold: PDFFont }, number: number): void {
  const margin = 72;
  const width = page.getWidth() - 2 * margin;
  let y = page.getHeight() - margin;
  page.drawText(content.heading, { x: margin, y, size: 18, font: fonts.bold, color: rgb(0.1, 0.25, 0.2) });
  y -= 36;
  for (const paragraph of content.paragraphs) {
    for (const line of wrap(paragraph, fonts.body, 11.5, width)) {
      page.drawText(line, { x: margin, y, size: 11.5, font: fonts.body });
      y -= 16;
    }
    y -= 10;
  }
  const footer = `Introduction to Biology - Cells - page ${number} of ${PAGES.length}`;
  page.drawText(footer, { x: margin, y: 40, size: 9, font: fonts.body, color: rgb(0.4, 0.4, 0.4) });
}

async function main(): Promise<void> {
  const doc = await PDFDocument.create();
  doc.setTitle(TITLE, { showInWindowTitleBar: true });
  doc.setAuthor('lectern example course');
  doc.setSubject('Introduction to Biology: cell structure');
  doc.setKeywords(['biology', 'cell', 'organelle']);
  doc.setLanguage('en');
  doc.setProducer('lectern examples/make-example-pdf.ts');
  doc.setCreator('lectern');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  const fonts = {
    body: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  PAGES.forEach((content, i) => drawPage(doc.addPage([612, 792]), content, fonts, i + 1));
  const bytes = await doc.save();
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, bytes);
  console.log(`wrote ${OUTPUT} (${bytes.length} bytes, ${PAGES.length} pages)`);
}

await main();
