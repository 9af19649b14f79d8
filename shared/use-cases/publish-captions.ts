/**
 * PublishCaptions: the automatic captions of a published video become `<asset>.<lang>.auto.vtt`
 * in its lesson — checked and sanitised by the same validator as an uploaded caption file, staged
 * with the lesson's transcript (`transcript.txt`, `transcript.json`), and published by PublishAsset's
 * own use-case, whose manifest update attaches the track to the video's master playlist (the
 * late-captions mechanism, no transcode), labelled "(auto-generated)". A copy goes beside the
 * video's report (`_reports/…/<asset>.<lang>.auto.vtt`) for the educator to download, correct and
 * upload back as `<asset>.<lang>.vtt`, which then replaces it.
 */
import { sha256Hex } from '../contract/asset-version.js';
import { validateCaptions } from '../captions/validate-captions.js';
import type { Deps } from '../runtime/deps.js';
import { logger } from '../runtime/logger.js';
import type { ClassifiedUpload, ExecutionRef, Published, StagedArtifact } from '../contract/pipeline.js';
import { REPORTS_PREFIX } from '../contract/report.js';
import { transcriptFromWebVtt, transcriptText } from '../transcription/transcript.js';
import { TranscriptionFailedError, type TranscriptionOutcome } from '../transcription/transcription-outcome.js';
import { primaryLanguage } from '../video/lesson-captions.js';
import { publishAsset, type PublishAssetDeps } from './publish-asset.js';
import { workKey } from './read-source.js';

export type PublishCaptionsDeps = PublishAssetDeps & Pick<Deps, 'metrics'>;

export interface PublishCaptionsInput extends ExecutionRef {
  upload: ClassifiedUpload;
  transcription: TranscriptionOutcome;
}

export type PublishCaptionsResult =
  | {
      fileName: string;
      language: string;
      cues: number;
      url: string;
      /** The copy beside the upload's report, for the educator to correct. */
      reviewKey: string;
      invalidationPaths: string[];
    }
  /** Nothing was said (music, a silent screencast with a hum): no track, and nothing to warn about. */
  | { noSpeech: true; invalidationPaths: [] };

export async function publishCaptions(input: PublishCaptionsInput, deps: PublishCaptionsDeps): Promise<PublishCaptionsResult> {
  const { upload, transcription } = input;
  if (!upload.lesson || !transcription.subtitlesKey) throw new Error('PublishCaptions needs a lesson video whose speech recognition job completed.');
  const bytes = await deps.uploads.get(transcription.subtitlesKey);
  if (!bytes) throw new TranscriptionFailedError(`The speech recognition job ${transcription.jobName ?? ''} wrote no subtitles at ${transcription.subtitlesKey}.`);
  const language = await captionLanguage(deps, transcription);
  const fileName = `${upload.stem}.${language}.auto.vtt`;
  const verdict = validateCaptions({ bytes, fileName, limits: { maxBytes: deps.config.limits.maxBytes.captions } });
  if (!verdict.ok) {
    if (verdict.reasons.some((r) => r.code === 'captions.no-cues')) {
      logger.info('no speech recognised: no automatic captions', { jobName: transcription.jobName });
      return { noSpeech: true, invalidationPaths: [] };
    }
    throw new TranscriptionFailedError(`The recognised subtitles of ${upload.fileName} are not valid WebVTT: ${verdict.reasons[0]?.message ?? ''}`);
  }
  const transcript = transcriptFromWebVtt(verdict.webvtt, { language, source: fileName, automatic: true });
  const staged: StagedArtifact[] = [];
  const stage = async (name: string, body: string, contentType: string) => {
    const key = workKey(upload.assetVersionId, `auto-captions/${name}`);
    await deps.uploads.put(key, body, { contentType });
    staged.push({ name, contentType, sha256: sha256Hex(body), size: Buffer.byteLength(body), from: { store: 'uploads', key } });
  };
  await stage(fileName, verdict.webvtt, 'text/vtt');
  await stage('transcript.txt', transcriptText(transcript), 'text/plain; charset=utf-8');
  await stage('transcript.json', `${JSON.stringify(transcript, null, 2)}\n`, 'application/json');

  const slash = upload.source.key.lastIndexOf('/');
  const reviewKey = `${REPORTS_PREFIX}${upload.source.key.slice(0, slash + 1)}${fileName}`;
  await deps.uploads.put(reviewKey, verdict.webvtt, { contentType: 'text/vtt', cacheControl: 'no-cache' });

  const published: Published = await publishAsset(
    {
      executionId: input.executionId,
      executionName: input.executionName,
      upload: { ...upload, kind: 'captions', fileName, stem: fileName.replace(/\.vtt$/, '') },
      validation: {
        accepted: true,
        format: 'webvtt',
        reasons: [],
        warnings: [],
        metadata: {
          cues: verdict.cues,
          durationMs: verdict.durationMs,
          language,
          videoStem: upload.stem,
          sourceFormat: 'webvtt',
          automatic: true,
          ...(transcription.jobName ? { transcriptionJob: transcription.jobName } : {}),
        },
        contentSha256: sha256Hex(verdict.webvtt),
        artifacts: staged,
      },
    },
    deps,
  );
  deps.metrics.add('AutoCaptionsPublished', 'Count', 1);
  logger.info('automatic captions published', { fileName, cues: verdict.cues, language });
  return { fileName, language, cues: verdict.cues, url: published.url, reviewKey, invalidationPaths: published.invalidationPaths };
}

/**
 * The track's language: the one asked for (course.yaml), else the one Transcribe identified
 * (`en-US` → `en`: the accent is not the language), from the job or its transcript.
 */
async function captionLanguage(deps: PublishCaptionsDeps, transcription: TranscriptionOutcome): Promise<string> {
  if (transcription.language) return transcription.language;
  let code = transcription.languageCode;
  if (!code && transcription.transcriptKey) {
    const json = await deps.uploads.get(transcription.transcriptKey);
    try {
      const parsed = json ? (JSON.parse(new TextDecoder().decode(json)) as { results?: { language_code?: unknown } }) : undefined;
      if (typeof parsed?.results?.language_code === 'string') code = parsed.results.language_code;
    } catch {
      // Not JSON: no identified language from it.
    }
  }
  const primary = primaryLanguage(code);
  if (!primary || !/^[a-z]{2,3}$/.test(primary)) throw new TranscriptionFailedError(`The speech recognition job ${transcription.jobName ?? ''} did not say which language it recognised.`);
  return primary;
}
