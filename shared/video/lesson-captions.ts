/**
 * Which caption files a video gets: the lesson's published captions assets (already validated,
 * sanitised and converted to WebVTT by ValidateCaptions) whose video stem is this video's
 * (`lecture.en.vtt` → `lecture.mp4`), one per language. Pure: reads the lesson manifest. The
 * transcode muxes them into the HLS ladder; captions that arrive later join the video's master
 * without a transcode (`shared/use-cases/attach-captions.ts`); the preview page shows the same
 * choice as the video's `<track>`s.
 */
import type { LessonManifest, ManifestEntry } from '../contract/manifest.js';
import type { CaptionSource } from './plan-transcode.js';

/** A caption file chosen for a video: its name in the lesson, its WebVTT output, its language and the label players show. */
export interface ChosenCaptions {
  fileName: string;
  entry: ManifestEntry;
  output: ManifestEntry['outputs'][number];
  language?: string;
  label: string;
}

/** The captions the HLS ladder carries, as sources in the published bucket. */
export function captionsForVideo(manifest: LessonManifest | undefined, videoStem: string, publishedBucket: string): CaptionSource[] {
  if (!manifest) return [];
  return chooseCaptions(manifest, videoStem).map(({ fileName, entry, output, language, label }) => ({
    bucket: publishedBucket,
    key: `courses/${manifest.course}/lessons/${manifest.lesson}/${fileName}/${entry.version}/${output.name}`,
    ...(language ? { language } : {}),
    label,
    format: 'vtt',
  }));
}

/**
 * The video's caption files in name order, one per language: the educator's own first, and an
 * automatic track only for a language none of theirs covers; files without a WebVTT output are
 * passed over.
 */
export function chooseCaptions(manifest: LessonManifest | undefined, videoStem: string): ChosenCaptions[] {
  if (!manifest) return [];
  const found: ChosenCaptions[] = [];
  const languages = new Set<string>();
  const entries = Object.entries(manifest.assets)
    .filter(([, entry]) => entry.kind === 'captions' && entry.metadata?.videoStem === videoStem)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // The educator's captions first: an automatic track (`<asset>.<lang>.auto.vtt`) is kept only for a
  // language no uploaded caption file covers — the reviewed file replaces it.
  const reviewed = entries.filter(([, entry]) => entry.metadata?.automatic !== true);
  const reviewedPrimary = new Set(reviewed.map(([, entry]) => primaryLanguage(entry.metadata?.language)).filter((l): l is string => l !== undefined));
  const automatic = entries.filter(([, entry]) => entry.metadata?.automatic === true && !reviewedPrimary.has(primaryLanguage(entry.metadata?.language) ?? ''));
  for (const [fileName, entry] of [...reviewed, ...automatic]) {
    const output = entry.outputs.find((o) => /\.vtt$/i.test(o.name));
    if (!output) continue;
    const language = typeof entry.metadata.language === 'string' ? entry.metadata.language : undefined;
    const languageKey = language?.toLowerCase() ?? `file:${fileName}`;
    if (languages.has(languageKey)) continue;
    languages.add(languageKey);
    const label = languageLabel(language) ?? fileName;
    found.push({ fileName, entry, output, ...(language ? { language } : {}), label: entry.metadata.automatic === true ? `${label} (auto-generated)` : label });
  }
  return found;
}

/** Whether a caption track is automatic (speech recognition), by the label it is published with. */
export function isAutomaticLabel(label: string): boolean {
  return / \(auto-generated\)$/.test(label);
}

/** The languages (primary subtag) of the captions an educator uploaded for the video. */
export function reviewedCaptionLanguages(manifest: LessonManifest | undefined, videoStem: string): { languages: Set<string>; any: boolean } {
  const languages = new Set<string>();
  let any = false;
  for (const entry of Object.values(manifest?.assets ?? {})) {
    if (entry.kind !== 'captions' || entry.metadata?.videoStem !== videoStem || entry.metadata?.automatic === true) continue;
    any = true;
    const primary = primaryLanguage(entry.metadata?.language);
    if (primary) languages.add(primary);
  }
  return { languages, any };
}

/** `pt-BR` → `pt`. */
export function primaryLanguage(tag: unknown): string | undefined {
  return typeof tag === 'string' && tag ? (tag.split('-')[0] as string).toLowerCase() : undefined;
}

/** `en` → `English`, `pt-BR` → `Brazilian Portuguese` (Node's ICU); undefined when unknown. */
export function languageLabel(language: string | undefined): string | undefined {
  if (!language) return undefined;
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(language);
    return name && name !== language ? name : undefined;
  } catch {
    return undefined;
  }
}
