/**
 * Which caption files go into a video's HLS ladder: the lesson's published captions assets
 * (already validated, sanitised and converted to WebVTT by ValidateCaptions) whose video stem is
 * this video's (`lecture.en.vtt` → `lecture.mp4`), one per language. Pure: reads the lesson
 * manifest. The transcode muxes them in; captions that arrive later join the video's master
 * without a transcode (`shared/use-cases/attach-captions.ts`).
 */
import type { LessonManifest } from '../manifest.js';
import type { CaptionSource } from './plan-transcode.js';

export function captionsForVideo(manifest: LessonManifest | undefined, videoStem: string, publishedBucket: string): CaptionSource[] {
  if (!manifest) return [];
  const found: CaptionSource[] = [];
  const languages = new Set<string>();
  for (const [fileName, entry] of Object.entries(manifest.assets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (entry.kind !== 'captions' || entry.metadata?.videoStem !== videoStem) continue;
    const output = entry.outputs.find((o) => /\.vtt$/i.test(o.name));
    if (!output) continue;
    const language = typeof entry.metadata.language === 'string' ? entry.metadata.language : undefined;
    const languageKey = language?.toLowerCase() ?? `file:${fileName}`;
    if (languages.has(languageKey)) continue;
    languages.add(languageKey);
    found.push({
      bucket: publishedBucket,
      key: `courses/${manifest.course}/lessons/${manifest.lesson}/${fileName}/${entry.version}/${output.name}`,
      ...(language ? { language } : {}),
      label: languageLabel(language) ?? fileName,
      format: 'vtt',
    });
  }
  return found;
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
