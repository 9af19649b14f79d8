/**
 * MarkRejected and MarkFailed: record how an upload ended, with every reason, and write the
 * educator's report. They receive the whole execution state, because they are reached from any
 * state's Catch. The source object is never touched.
 */
import { assetVersionId } from '../contract/asset-version.js';
import { recordEnded, type VersionIdentity } from '../db/asset-repository.js';
import type { Deps } from '../runtime/deps.js';

/** What mark ended needs (its Lambda builds just this). */
export type MarkEndedDeps = Pick<Deps, 'db' | 'metrics' | 'notifier' | 'now' | 'uploads'>;
import { UploadFailedError, type Reason } from '../contract/errors.js';
import type { CaughtError, FailureOutcome, MarkInput, RecordResult } from '../contract/pipeline.js';
import { writeReport } from '../contract/report.js';
import { parseUploadKey } from '../contract/upload-key.js';

export async function markRejected(input: MarkInput, deps: MarkEndedDeps): Promise<RecordResult> {
  const { state } = input;
  const reasons = state.validation && !state.validation.accepted ? state.validation.reasons : [reasonFromError(state.error)];
  return markEnded(input, deps, { status: 'rejected', reasons, warnings: state.validation?.warnings ?? [] });
}

/**
 * MarkFailed, reached when a step's retries are exhausted (or an unexpected error). First time:
 * record the failure, write the report, and fail the execution here (`UploadFailed`). When ops
 * redrive the execution, Step Functions re-runs this step: then it returns where to resume, and
 * the `ResumeFailedStep` Choice sends the execution back to the step that failed.
 */
export async function markFailed(input: MarkInput, deps: MarkEndedDeps): Promise<FailureOutcome> {
  const { state } = input;
  // Recorded by the state machine on the way from the Catch (see state-machines/build-asl.ts).
  const failedState = state.failedState ?? UNKNOWN_STATE;
  const redrive = input.redriveCount ?? 0;
  const resumedInThisRedrive = (state.failure?.resumedInRedrive ?? -1) >= redrive;
  if (redrive > 0 && !resumedInThisRedrive) {
    // A transcode that failed while being polled resumes at SubmitTranscode: it follows a running
    // job, answers with a finished one, or submits a new one after an ERROR (ops fixed the cause).
    return { resumeAt: failedState === 'PollTranscode' ? 'SubmitTranscode' : failedState, resumedInRedrive: redrive };
  }
  const { errorType, message } = parseCause(state.error);
  const reasons: Reason[] = [
    {
      code: 'pipeline.failed',
      message: `${failedState} failed after retries (${errorType}: ${message}). Nothing was lost: fix the cause, then replay the execution.`,
    },
  ];
  const result = await markEnded(input, deps, {
    status: 'failed',
    reasons,
    warnings: state.validation?.warnings ?? [],
    failedState,
    error: { errorType, message },
  });
  if (result.status === 'published') {
    // A course.yaml is recorded by UpsertCourse itself, before InvalidateCdn purges the paths its
    // access change touched: the course stays published, and the execution fails here, so that a
    // redrive re-runs this step and resumes at InvalidateCdn.
    if (state.upload?.kind === 'course' && failedState === 'InvalidateCdn') {
      throw new UploadFailedError(
        `InvalidateCdn failed (${errorType}: ${message}); the course is recorded and its public copies are in place, but the CDN may serve the old ones from its cache. Redrive this execution: it resumes at InvalidateCdn.`,
      );
    }
    return { resumeAt: 'none', resumedInRedrive: redrive };
  }
  throw new UploadFailedError(
    `${failedState} failed (${errorType}: ${message}). Redrive this execution once the cause is fixed: it resumes at ${failedState}.`,
  );
}

async function markEnded(
  input: MarkInput,
  deps: MarkEndedDeps,
  outcome: { status: 'rejected' | 'failed'; reasons: Reason[]; warnings: Reason[]; failedState?: string; error?: Record<string, unknown> },
): Promise<RecordResult> {
  const version = identify(input, deps);
  const finishedAt = deps.now();
  const format = input.state.validation?.format;
  const metadata = input.state.validation?.metadata ?? {};
  const { status } = await recordEnded(deps.db, { version, ...outcome, ...(format ? { format } : {}), metadata, finishedAt });
  if (status === 'published') {
    // This version was published by an earlier run; a later failure must not hide that.
    return { assetVersionId: version.id, status: 'published', reportKey: '' };
  }
  const replay = outcome.status === 'failed' ? `lectern replay --execution ${input.executionId}` : undefined;
  const reportKey = await writeReport(deps.uploads, {
    key: version.source.key,
    assetVersionId: version.id,
    status: outcome.status,
    ...(version.kind ? { kind: version.kind } : {}),
    ...(format ? { format } : {}),
    reasons: outcome.reasons,
    warnings: outcome.warnings,
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    receivedAt: version.receivedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.max(0, finishedAt.getTime() - version.receivedAt.getTime()),
    ...(replay ? { replay } : {}),
    executionId: input.executionId,
  });
  if (outcome.status === 'rejected') {
    deps.metrics.add('UploadsRejected', 'Count', 1, { ReasonCode: outcome.reasons[0]?.code ?? 'unknown' });
    await deps.notifier.notify({
      status: 'rejected',
      key: version.source.key,
      assetVersionId: version.id,
      ...(version.courseSlug ? { course: version.courseSlug } : {}),
      ...(version.lessonSlug ? { lesson: version.lessonSlug } : {}),
      ...(version.kind ? { kind: version.kind } : {}),
      reasons: outcome.reasons,
    });
  } else {
    deps.metrics.add('UploadsFailed', 'Count', 1, { FailedState: outcome.failedState ?? 'unknown' });
  }
  return { assetVersionId: version.id, status: outcome.status, reportKey };
}

function identify(input: MarkInput, deps: MarkEndedDeps): VersionIdentity {
  const { state } = input;
  const upload = state.upload;
  const source = upload?.source ?? state.source;
  const receivedAt = upload ? new Date(upload.receivedAt) : source.eventTime ? new Date(source.eventTime) : deps.now();
  let parts: { courseSlug?: string; lessonSlug?: string; fileName?: string; kind?: string } = {};
  if (upload) {
    parts = { courseSlug: upload.course, ...(upload.lesson ? { lessonSlug: upload.lesson } : {}), fileName: upload.fileName, kind: upload.kind };
  } else {
    try {
      const key = parseUploadKey(source.key);
      parts = { courseSlug: key.course, ...(key.kind !== 'course' ? { lessonSlug: key.lesson } : {}), fileName: key.fileName, kind: key.kind };
    } catch {
      // the key itself is what was wrong: record the upload without course/lesson
    }
  }
  return { id: upload?.assetVersionId ?? assetVersionId(source), source, receivedAt, executionId: input.executionId, ...parts };
}

/** An execution without a recorded failing state (none should reach MarkFailed): not resumable. */
const UNKNOWN_STATE = 'unknown';

const CODED_MESSAGE = /^\[([a-z0-9][a-z0-9.-]*)\] ([\s\S]*)$/;

/** Lambda serialises a thrown error as `{ errorType, errorMessage, trace }` in the Cause. */
export function parseCause(error: CaughtError | undefined): { errorType: string; message: string; code?: string } {
  const errorType = error?.Error ?? 'Unknown';
  let message = error?.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // a plain-text cause (States.* errors) is already the message
  }
  const coded = CODED_MESSAGE.exec(message);
  return coded ? { errorType, message: coded[2] ?? '', code: coded[1] ?? '' } : { errorType, message };
}

function reasonFromError(error: CaughtError | undefined): Reason {
  const { errorType, message, code } = parseCause(error);
  return { code: code ?? kebab(errorType), message: message || `The upload was rejected (${errorType}).` };
}

function kebab(name: string): string {
  return name.replace(/Error$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
