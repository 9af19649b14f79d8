/**
 * Where TeX sits in quiz text: `\( … \)` and Moodle's `[tex] … [/tex]` inline, `\[ … \]` and
 * `$$ … $$` displayed. The one list of delimiters and the one way to find formulas: Markdown
 * rendering keeps them intact (render-text.ts), the pipeline checks them (check-tex.ts) and the
 * preview typesets them (local/preview/client/math.ts).
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

export interface TexFormula {
  /** Offset of the opening delimiter. */
  at: number;
  /** Offset just after the closing delimiter. */
  end: number;
  delimiter: TexDelimiter;
  /** The TeX between the delimiters, as written. */
  tex: string;
}

export interface TexScan {
  formulas: TexFormula[];
  /** Openings with no closing delimiter anywhere after them (each delimiter at most once). */
  unclosed: { at: number; delimiter: TexDelimiter }[];
}

/**
 * Every formula in `text`, left to right, in one linear pass: each delimiter's next opening is
 * remembered, and a delimiter never closed after some opening is given up there (its later
 * openings are text), while the other delimiters are still found.
 */
export function scanTex(text: string): TexScan {
  const next = TEX_DELIMITERS.map((d) => text.indexOf(d.open));
  const formulas: TexFormula[] = [];
  const unclosed: TexScan['unclosed'] = [];
  let i = 0;
  for (;;) {
    let which = -1;
    next.forEach((at, k) => {
      if (at !== -1 && at < i) next[k] = at = text.indexOf(TEX_DELIMITERS[k]?.open ?? '', i);
      if (at !== -1 && (which === -1 || at < (next[which] ?? Infinity))) which = k;
    });
    const delimiter = TEX_DELIMITERS[which];
    if (!delimiter) break;
    const at = next[which] ?? 0;
    const close = text.indexOf(delimiter.close, at + delimiter.open.length);
    if (close === -1) {
      unclosed.push({ at, delimiter });
      next[which] = -1;
      continue;
    }
    const end = close + delimiter.close.length;
    formulas.push({ at, end, delimiter, tex: text.slice(at + delimiter.open.length, close) });
    i = end;
  }
  return { formulas, unclosed };
}

/** Does the text hold a formula opening at all (cheap test before scanning)? */
export function mayHoldTex(text: string): boolean {
  return TEX_DELIMITERS.some((d) => text.includes(d.open));
}
