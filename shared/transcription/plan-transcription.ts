/**
 * The Amazon Transcribe job of a lecture's automatic captions: a `StartTranscriptionJob` request
 * (as the SDK takes it) that writes WebVTT subtitles beside its transcript, in the upload bucket's
 * private `_work/` prefix — never in the published bucket. Pure; checked against the vendored
 * Transcribe API model (tests/unit/transcription/plan-transcription.test.ts) as the MediaConvert
 * planner is against its model.
 *
 * - Job name `lectern-<stage>-<asset version id>-<attempt>`: unique per stage and attempt (names
 *   are unique per account and Region), and the prefix the stage's IAM policy and EventBridge
 *   rule match.
 * - Language: the course's (or lesson's) `language:` mapped to a Transcribe language code
 *   (`en` → `en-US`, `pt-BR` as it is); none, or one Transcribe does not know → IdentifyLanguage.
 * - Vocabulary: a custom vocabulary name (`vocabularyName(...)`), only with a known language
 *   (Transcribe takes `Settings.VocabularyName` only then).
 */
import { createHash } from 'node:crypto';

export type JsonObject = { [key: string]: unknown };

/** Transcribe's batch language codes (the model's `LanguageCode` enum, 2025). */
export const TRANSCRIBE_LANGUAGES = [
  'af-ZA', 'ar-AE', 'ar-SA', 'da-DK', 'de-CH', 'de-DE', 'en-AB', 'en-AU', 'en-GB', 'en-IE', 'en-IN', 'en-US', 'en-WL', 'es-ES',
  'es-US', 'fa-IR', 'fr-CA', 'fr-FR', 'he-IL', 'hi-IN', 'id-ID', 'it-IT', 'ja-JP', 'ko-KR', 'ms-MY', 'nl-NL', 'pt-BR', 'pt-PT',
  'ru-RU', 'ta-IN', 'te-IN', 'tr-TR', 'zh-CN', 'zh-TW', 'th-TH', 'en-ZA', 'en-NZ', 'vi-VN', 'sv-SE', 'ca-ES', 'cs-CZ', 'el-GR',
  'fi-FI', 'hr-HR', 'hu-HU', 'no-NO', 'pl-PL', 'ro-RO', 'sk-SK', 'sl-SI', 'uk-UA', 'bg-BG', 'lt-LT', 'lv-LV', 'et-ET',
] as const;

/** A language given without a region → the Transcribe variant used for it. */
const DEFAULT_REGION: Record<string, string> = {
  en: 'en-US', fr: 'fr-FR', de: 'de-DE', es: 'es-ES', pt: 'pt-BR', it: 'it-IT', ja: 'ja-JP', ko: 'ko-KR', zh: 'zh-CN', nl: 'nl-NL',
  ru: 'ru-RU', ar: 'ar-SA', hi: 'hi-IN', tr: 'tr-TR', da: 'da-DK', he: 'he-IL', id: 'id-ID', ms: 'ms-MY', af: 'af-ZA', fa: 'fa-IR',
  th: 'th-TH', vi: 'vi-VN', sv: 'sv-SE', ca: 'ca-ES', cs: 'cs-CZ', el: 'el-GR', fi: 'fi-FI', hr: 'hr-HR', hu: 'hu-HU', no: 'no-NO',
  nb: 'no-NO', pl: 'pl-PL', ro: 'ro-RO', sk: 'sk-SK', sl: 'sl-SI', uk: 'uk-UA', bg: 'bg-BG', lt: 'lt-LT', lv: 'lv-LV', et: 'et-ET',
  ta: 'ta-IN', te: 'te-IN',
};

/** A BCP 47 tag → a Transcribe language code; undefined when Transcribe has none for it. */
export function transcribeLanguage(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const exact = (TRANSCRIBE_LANGUAGES as readonly string[]).find((code) => code.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const primary = tag.split('-')[0]?.toLowerCase() ?? '';
  // zh-Hant: traditional script → Taiwan's variant.
  if (primary === 'zh' && /-hant\b/i.test(tag)) return 'zh-TW';
  return DEFAULT_REGION[primary];
}

export interface TranscriptionPlanInput {
  stage: string;
  assetVersionId: string;
  attempt: number;
  /** The media Transcribe reads: the published MP4 (or M4A) rendition. */
  media: { bucket: string; key: string };
  /** The private bucket Transcribe writes to (the upload bucket: `_work/` is never published). */
  outputBucket: string;
  /** The course's or lesson's `language:`, canonical BCP 47; none → language identification. */
  language?: string;
  /** A custom vocabulary that is READY, with the language it was made for. */
  vocabulary?: { name: string; languageCode: string };
}

export interface TranscriptionPlan {
  jobName: string;
  request: JsonObject;
  /** Transcribe language code asked for; undefined: IdentifyLanguage. */
  languageCode?: string;
  /** Where the WebVTT subtitles will be (bucket of `outputBucket`). */
  subtitlesKey: string;
  transcriptKey: string;
}

export function transcriptionJobName(stage: string, assetVersionId: string, attempt: number): string {
  return `lectern-${stage}-${assetVersionId}-${attempt}`;
}

/** The prefix every job name of a stage starts with (IAM resource, EventBridge rule). */
export function transcriptionJobPrefix(stage: string): string {
  return `lectern-${stage}-`;
}

export function planTranscription(input: TranscriptionPlanInput): TranscriptionPlan {
  const jobName = transcriptionJobName(input.stage, input.assetVersionId, input.attempt);
  const outputKey = `_work/${input.assetVersionId}/transcribe/`;
  const languageCode = transcribeLanguage(input.language);
  const vocabulary = languageCode && input.vocabulary?.languageCode === languageCode ? input.vocabulary.name : undefined;
  const request: JsonObject = {
    TranscriptionJobName: jobName,
    Media: { MediaFileUri: `s3://${input.media.bucket}/${input.media.key}` },
    OutputBucketName: input.outputBucket,
    OutputKey: outputKey,
    ...(languageCode ? { LanguageCode: languageCode } : { IdentifyLanguage: true }),
    Subtitles: { Formats: ['vtt'], OutputStartIndex: 1 },
    ...(vocabulary ? { Settings: { VocabularyName: vocabulary } } : {}),
  };
  return { jobName, request, ...(languageCode ? { languageCode } : {}), subtitlesKey: `${outputKey}${jobName}.vtt`, transcriptKey: `${outputKey}${jobName}.json` };
}

/**
 * A course's custom vocabulary: `lectern-<stage>-<course>-<hash of language and phrases>`, so a
 * changed list is a new vocabulary (created once, then reused) and never edits one a running job uses.
 */
export function vocabularyName(stage: string, course: string, languageCode: string, phrases: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify([languageCode, [...phrases].sort()])).digest('hex').slice(0, 12);
  return `lectern-${stage}-${course}-${hash}`.slice(0, 200);
}

/** Phrases as Transcribe takes them: trimmed, spaces become hyphens (its rule for multi-word phrases), no duplicates. */
export function vocabularyPhrases(terms: readonly string[]): string[] {
  const phrases = terms.map((t) => t.trim().replace(/\s+/g, '-')).filter((t) => t.length > 0 && t.length <= 256);
  return [...new Set(phrases)].slice(0, 1000);
}
