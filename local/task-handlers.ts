/**
 * Task state → the real handler the deployed state machine invokes for it, bound to a stack's deps.
 * Each function module is imported when its state is first entered, as a Lambda container loads
 * only its own function: a run without PDFs never loads pdf.js, one without videos never loads
 * MediaInfo.
 */
import type { Deps } from '../shared/runtime/deps.js';
import type { LambdaHandler } from './lambda-invoker.js';

type FunctionModule = { createHandler: (deps: () => Deps) => unknown };

/** A handler that imports its function module and binds it to `deps` on its first invocation. */
function onFirstCall(load: () => Promise<FunctionModule>, deps: () => Deps): LambdaHandler {
  let bound: Promise<LambdaHandler> | undefined;
  return async (event, context) => {
    bound ??= load().then((module) => module.createHandler(deps) as LambdaHandler);
    return (await bound)(event, context);
  };
}

/** The state machine's Task handlers over one stack's deps (each takes only its own part). */
export function taskHandlers(deps: () => Deps): Record<string, LambdaHandler> {
  return {
    ClassifyUpload: onFirstCall(() => import('../functions/classify-upload/create-handler.js'), deps),
    ValidatePdf: onFirstCall(() => import('../functions/validate-pdf/create-handler.js'), deps),
    ValidateQuiz: onFirstCall(() => import('../functions/validate-quiz/create-handler.js'), deps),
    ValidateCaptions: onFirstCall(() => import('../functions/validate-captions/create-handler.js'), deps),
    ValidateImage: onFirstCall(() => import('../functions/validate-image/create-handler.js'), deps),
    UpsertCourse: onFirstCall(() => import('../functions/upsert-course/create-handler.js'), deps),
    ProbeVideo: onFirstCall(() => import('../functions/probe-video/create-handler.js'), deps),
    SubmitTranscode: onFirstCall(() => import('../functions/submit-transcode/create-handler.js'), deps),
    PollTranscode: onFirstCall(() => import('../functions/poll-transcode/create-handler.js'), deps),
    VerifyOutputs: onFirstCall(() => import('../functions/verify-outputs/create-handler.js'), deps),
    PublishAsset: onFirstCall(() => import('../functions/publish-asset/create-handler.js'), deps),
    InvalidateCdn: onFirstCall(() => import('../functions/invalidate-cdn/create-handler.js'), deps),
    RecordPublished: onFirstCall(() => import('../functions/record-published/create-handler.js'), deps),
    SubmitTranscription: onFirstCall(() => import('../functions/submit-transcription/create-handler.js'), deps),
    PollTranscription: onFirstCall(() => import('../functions/poll-transcription/create-handler.js'), deps),
    PublishCaptions: onFirstCall(() => import('../functions/publish-captions/create-handler.js'), deps),
    InvalidateCaptions: onFirstCall(() => import('../functions/invalidate-cdn/create-handler.js'), deps),
    MarkCaptionsMissing: onFirstCall(() => import('../functions/mark-captions-missing/create-handler.js'), deps),
    MarkRejected: onFirstCall(() => import('../functions/mark-rejected/create-handler.js'), deps),
    MarkFailed: onFirstCall(() => import('../functions/mark-failed/create-handler.js'), deps),
  };
}

/** Functions invoked by events rather than by the state machine (EventBridge rules in AWS). */
export function eventHandlers(deps: () => Deps) {
  return {
    /** "MediaConvert Job State Change" events: the local transcoder delivers them here. */
    TranscodeEvents: onFirstCall(() => import('../functions/transcode-events/create-handler.js'), deps),
    /** "Transcribe Job State Change" events: the local transcriber delivers them here. */
    TranscriptionEvents: onFirstCall(() => import('../functions/transcription-events/create-handler.js'), deps),
  };
}
