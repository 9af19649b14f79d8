/**
 * The files `lectern smoke` uploads, one per kind, each carrying a marker (the run's stamp) that
 * the smoke test finds again in what the CDN serves. Pure: the video is made by the caller
 * (ffmpeg), the rest here.
 */

/** A quiz in lectern's native YAML whose title is the marker. */
export function smokeQuiz(marker: string): string {
  return `title: ${marker}\nquestions:\n  - type: true-false\n    stem: The smoke test can publish a quiz.\n    correct: true\n`;
}

/** WebVTT captions (English) for the smoke video, with the marker as the cue text. */
export function smokeCaptions(marker: string): string {
  return `WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n${marker}\n`;
}

/**
 * A one-page PDF 1.7 whose document title (Info /Title) and page text are the marker: the
 * smallest file that passes ValidatePdf (catalog, pages, one page with a content stream and a
 * standard font, a correct cross-reference table).
 */
export function smokePdf(marker: string): Uint8Array {
  const text = marker.replace(/[()\\]/g, '');
  const content = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Title (${text}) /Producer (lectern smoke) >>`,
  ];
  let pdf = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}
