/**
 * WebVTT `STYLE` blocks reduced to an allow-list: `::cue` / `::cue-region` rules whose
 * declarations set the properties WebVTT applies to cues (colours, fonts, text decoration,
 * white space…), with values made only of words, numbers, colours and quoted font names. What
 * survives is re-written from the parsed rules, never copied, so nothing a browser would read as
 * `url(`, `image-set(`, `@import` or an escape that spells them reaches students.
 *
 * A block that is not plain CSS of that shape — an at-rule, a backslash escape, markup, an
 * unbalanced brace — is dropped whole; declarations outside the allow-list are dropped one by one.
 */

/** Properties WebVTT applies to `::cue` (W3C WebVTT §7.3), minus those that can load anything. */
const PROPERTIES: ReadonlySet<string> = new Set([
  'color', 'opacity', 'visibility',
  'text-decoration', 'text-decoration-line', 'text-decoration-color', 'text-decoration-style', 'text-decoration-thickness',
  'text-shadow', 'background-color',
  'outline', 'outline-color', 'outline-style', 'outline-width',
  'font', 'font-family', 'font-size', 'font-stretch', 'font-style', 'font-variant', 'font-weight',
  'line-height', 'white-space', 'text-combine-upright', 'ruby-position',
]);

/** Functions a value may call: colours only. */
const FUNCTIONS: ReadonlySet<string> = new Set(['rgb', 'rgba', 'hsl', 'hsla']);

const SELECTOR = /^::cue(-region)?(\([\w\s.#\-[\]="'*>+~:]*\))?$/;
/** Words, numbers with units, #hex, commas, slashes, !important, colour functions, quoted names. */
const VALUE = /^(?:[\w\s.,%#+\-/!]|\((?=[^()]*\))|\)|"[\w\s.,-]*"|'[\w\s.,-]*')*$/;

export interface CueStyle {
  /** The rules that survived, re-written; undefined when the whole block was dropped. */
  css?: string;
  /** What was dropped, as phrases: "the declaration background-image", "an at-rule or escape". */
  dropped: string[];
}

function valueIsSafe(value: string): boolean {
  if (!VALUE.test(value)) return false;
  for (const call of value.matchAll(/([\w-]*)\s*\(/g)) if (!FUNCTIONS.has(call[1]!.toLowerCase())) return false;
  return true;
}

/** Sanitises the CSS of one STYLE block. */
export function sanitizeCueStyle(css: string): CueStyle {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, ' ');
  if (/[\\@<]|\/\*/.test(text)) return { dropped: ['an at-rule, a backslash escape, a comment left open or markup'] };
  const rules: string[] = [];
  const dropped: string[] = [];
  const rest = text.replace(/([^{}]+)\{([^{}]*)\}/g, (_match, selectors: string, body: string) => {
    const list = selectors.split(',').map((s) => s.trim());
    if (list.some((s) => !SELECTOR.test(s))) {
      dropped.push(`the rule for ${selectors.trim().slice(0, 60)} (only ::cue and ::cue-region apply to captions)`);
      return '';
    }
    const kept: string[] = [];
    for (const declaration of body.split(';')) {
      if (declaration.trim() === '') continue;
      const colon = declaration.indexOf(':');
      const property = declaration.slice(0, colon).trim().toLowerCase();
      const value = declaration.slice(colon + 1).trim();
      if (colon < 0 || !PROPERTIES.has(property) || !valueIsSafe(value)) {
        dropped.push(`the declaration ${(colon < 0 ? declaration : property).trim().slice(0, 40)}`);
        continue;
      }
      kept.push(`${property}: ${value};`);
    }
    if (kept.length > 0) rules.push(`${list.join(', ')} { ${kept.join(' ')} }`);
    return '';
  });
  if (rest.trim() !== '') return { dropped: ['text that is not a CSS rule (an unbalanced brace?)'] };
  return rules.length > 0 ? { css: rules.join('\n'), dropped } : { dropped };
}
