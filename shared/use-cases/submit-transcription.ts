/**
 * SubmitTranscription (`lambda:invoke.waitForTaskToken`), after a video or audio is published:
 * start the Transcribe job of its automatic captions, record it with the task token in
 * `transcription_jobs`; `transcription-events` answers the task when the job ends (or
 * PollTranscription takes over when no event comes). The same pattern, and the same answering
 * code (`answer-task.ts`), as SubmitTranscode and MediaConvert.
 *
 * The task is answered at once, without a job, when there is nothing to do: automatic captions are
 * off, or the educator already uploaded captions for the video in its language. A job that is
 * running or COMPLETED for this upload is reused (a replay binds its new token to it); after one
 * that FAILED or was lost, a replay starts the next attempt.
 */
import type { Deps } from '../runtime/deps.js';
import { parseCourse } from '../course/parse-course.js';
import { logger } from '../runtime/logger.js';
import { manifestKey, parseManifest } from '../contract/manifest.js';
import type { ClassifiedUpload, ExecutionRef, Published, Validation } from '../contract/pipeline.js';
import {
  bindTranscriptionToken,
  latestTranscription,
  markTranscriptionAnswered,
  recordTranscriptionUpdate,
  transcriptionsInRun,
  TRANSCRIPTION_FINAL,
  upsertTranscription,
} from '../db/transcription-job-repository.js';
import { runOf } from '../db/transcode-job-repository.js';
import { planTranscription, transcribeLanguage, vocabularyName, vocabularyPhrases } from '../transcription/plan-transcription.js';
import { answerForTranscription, TranscriptionFailedError, type TranscriptionOutcome } from '../transcription/transcription-outcome.js';
import { primaryLanguage, reviewedCaptionLanguages } from '../video/lesson-captions.js';
import { answerTask } from './answer-task.js';

export type SubmitTranscriptionDeps = Pick<Deps, 'config' | 'db' | 'published' | 'uploads' | 'taskCallbacks' | 'transcriber'>;

/** Jobs one run of an execution may start for its upload. */
export const MAX_TRANSCRIPTION_ATTEMPTS = 2;

export interface SubmitTranscriptionInput extends ExecutionRef {
  upload: ClassifiedUpload;
  /** The probe's summary (`validation.media`): a video without sound needs no captions. */
  validation?: Pick<Validation, 'media'>;
  published: Published;
  taskToken: string;
  redriveCount?: number;
}

export interface SubmitTranscriptionResult {
  action: 'submitted' | 'reused' | 'answered' | 'skipped';
  jobName?: string;
  reason?: string;
}

export async function submitTranscription(input: SubmitTranscriptionInput, deps: SubmitTranscriptionDeps): Promise<SubmitTranscriptionResult> {
  const { upload, taskToken } = input;
  if (!upload.lesson) throw new Error('SubmitTranscription needs a lesson video or audio.');
  const skip = async (reason: string) => {
    logger.info('automatic captions skipped', { reason });
    const outcome: TranscriptionOutcome = { done: false, skipped: reason };
    await answerTask(deps.taskCallbacks, taskToken, { kind: 'success', output: outcome });
    return { action: 'skipped' as const, reason };
  };
  if (!deps.config.autoCaptions.enabled) return skip('automatic captions are off (LECTERN_AUTO_CAPTIONS=off)');
  if (input.validation?.media && !input.validation.media.hasAudio) return skip('the video has no sound');

  const course = await courseSettings(deps, upload);
  const language = course.lessonLanguage ?? course.language;
  const reviewed = reviewedCaptionLanguages(await lessonManifest(deps, upload), upload.stem);
  if (language ? reviewed.languages.has(primaryLanguage(language) as string) : reviewed.any) {
    return skip(`captions uploaded by the educator cover ${language ?? 'this video'}`);
  }

  const latest = await latestTranscription(deps.db, upload.assetVersionId);
  if (latest && latest.status !== 'FAILED' && latest.status !== 'LOST') {
    await bindTranscriptionToken(deps.db, latest.job_name, taskToken, input.executionId);
    if (TRANSCRIPTION_FINAL.includes(latest.status)) {
      if ((await answerTask(deps.taskCallbacks, taskToken, answerForTranscription(latest))).delivered) await markTranscriptionAnswered(deps.db, latest.job_name);
      return { action: 'answered', jobName: latest.job_name };
    }
    if (latest.status !== 'SUBMITTING') return { action: 'reused', jobName: latest.job_name };
  }
  const run = runOf(input);
  if (!latest || latest.status === 'FAILED' || latest.status === 'LOST') {
    if ((await transcriptionsInRun(deps.db, upload.assetVersionId, run)) >= MAX_TRANSCRIPTION_ATTEMPTS) {
      throw new TranscriptionFailedError(`${MAX_TRANSCRIPTION_ATTEMPTS} speech recognition jobs for ${upload.fileName} failed in this run; the last: ${latest?.failure_reason ?? 'unknown'}. Replay the upload to try again.`);
    }
  }
  const attempt = latest && latest.status === 'SUBMITTING' ? latest.attempt : (latest?.attempt ?? 0) + 1;

  const media = input.published.outputs.find((o) => o.contentType === 'video/mp4' || o.contentType === 'audio/mp4');
  if (!media) throw new TranscriptionFailedError(`${upload.fileName} has no MP4 or M4A rendition for speech recognition to read.`);
  const languageCode = transcribeLanguage(language);
  let vocabulary: { name: string; languageCode: string } | undefined;
  let vocabularyPending = false;
  const phrases = vocabularyPhrases(course.vocabulary ?? []);
  if (languageCode && phrases.length > 0) {
    const name = vocabularyName(deps.config.stage, upload.course, languageCode, phrases);
    const state = await deps.transcriber.ensureVocabulary(name, languageCode, phrases);
    if (state === 'READY') vocabulary = { name, languageCode };
    else vocabularyPending = true;
  }
  const plan = planTranscription({
    stage: deps.config.stage,
    assetVersionId: upload.assetVersionId,
    attempt,
    media: { bucket: deps.published.bucket, key: media.key },
    outputBucket: deps.uploads.bucket,
    ...(language ? { language } : {}),
    ...(vocabulary ? { vocabulary } : {}),
  });
  const row = await upsertTranscription(deps.db, {
    jobName: plan.jobName,
    assetVersionId: upload.assetVersionId,
    attempt,
    stage: deps.config.stage,
    run,
    taskToken,
    executionId: input.executionId,
    ...(language ? { language } : {}),
    ...(plan.languageCode ? { languageCode: plan.languageCode } : {}),
    plan: { subtitlesKey: plan.subtitlesKey, transcriptKey: plan.transcriptKey, ...(vocabularyPending ? { vocabularyPending } : {}) },
  });
  const state = await deps.transcriber.startJob(plan.request);
  await recordTranscriptionUpdate(deps.db, row.job_name, { status: state.status, ...(state.failureReason ? { failureReason: state.failureReason } : {}) });
  logger.info('transcription job started', { jobName: plan.jobName, attempt, languageCode: plan.languageCode ?? 'identify', vocabulary: vocabulary?.name });
  return { action: 'submitted', jobName: plan.jobName };
}

interface CourseSettings {
  language?: string;
  lessonLanguage?: string;
  vocabulary?: string[];
}

/** `language:` (course and lesson) and `vocabulary:` from the course's course.yaml; none when it is missing or invalid. */
async function courseSettings(deps: SubmitTranscriptionDeps, upload: ClassifiedUpload): Promise<CourseSettings> {
  const fileName = `courses/${upload.course}/course.yaml`;
  const bytes = await deps.uploads.get(fileName);
  if (!bytes) return {};
  const parsed = parseCourse({ bytes, fileName });
  if (!parsed.ok) return {};
  const lesson = parsed.course.lessons?.find((l) => l.slug === upload.lesson);
  return {
    ...(parsed.course.language ? { language: parsed.course.language } : {}),
    ...(lesson?.language ? { lessonLanguage: lesson.language } : {}),
    ...(parsed.course.vocabulary ? { vocabulary: parsed.course.vocabulary } : {}),
  };
}

async function lessonManifest(deps: SubmitTranscriptionDeps, upload: ClassifiedUpload) {
  const key = manifestKey(upload.course, upload.lesson as string);
  const bytes = await deps.published.get(key);
  return bytes ? parseManifest(new TextDecoder().decode(bytes), key) : undefined;
}
