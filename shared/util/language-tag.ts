/**
 * BCP 47 language tags (`en`, `pt-BR`, `zh-Hant`, `es-419`): well-formed (ECMA-402's
 * `Intl.getCanonicalLocales`) and naming a language, script and region that exist (ICU's
 * display names). Returns the canonical spelling (`EN-us` → `en-US`, `iw` → `he`).
 */

export type LanguageTagCheck = { ok: true; tag: string } | { ok: false; problem: string };

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const scriptNames = new Intl.DisplayNames(['en'], { type: 'script', fallback: 'none' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

export function checkLanguageTag(value: string): LanguageTagCheck {
  const candidate = value.trim();
  let tag: string;
  try {
    const canonical = Intl.getCanonicalLocales(candidate)[0];
    if (!canonical || candidate.length === 0) return { ok: false, problem: 'it is empty' };
    tag = canonical;
  } catch {
    return { ok: false, problem: 'it is not a well-formed BCP 47 tag' };
  }
  const locale = new Intl.Locale(tag);
  if (locale.language === 'und' || !languageNames.of(locale.language)) {
    return { ok: false, problem: `"${locale.language}" is not a known language code` };
  }
  if (locale.script && !scriptNames.of(locale.script)) return { ok: false, problem: `"${locale.script}" is not a known script code` };
  if (locale.region && !regionNames.of(locale.region)) return { ok: false, problem: `"${locale.region}" is not a known region code` };
  return { ok: true, tag };
}

/** Something to write instead, for messages. */
export const LANGUAGE_TAG_EXAMPLES = 'en, fr, pt-BR, zh-Hant';
