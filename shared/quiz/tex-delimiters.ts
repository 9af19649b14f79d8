/**
 * Where TeX sits in quiz text: `\( … \)` and Moodle's `[tex] … [/tex]` inline, `\[ … \]` and
 * `$$ … $$` displayed. The pipeline checks these formulas (check-tex.ts); the preview typesets them.
 */
export interface TexDelimiter {
  open: string;
  close: string;
  display: boolean;
}

export const TEX_DELIMITERS: readonly TexDelimiter[] = [
  { open: '\\(', close: '\\)', display: false },
  { open: '\\[', close: '\\]', display: true },
  { open: '$$', close: '$$', display: true },
  { open: '[tex]', close: '[/tex]', display: false },
];

/** The first formula opening at or after `from` in plain text, if any. */
export function nextTexOpening(text: string, from: number): { at: number; delimiter: TexDelimiter } | undefined {
  let best: { at: number; delimiter: TexDelimiter } | undefined;
  for (const delimiter of TEX_DELIMITERS) {
    const at = text.indexOf(delimiter.open, from);
    if (at !== -1 && (!best || at < best.at)) best = { at, delimiter };
  }
  return best;
}
