/** Task state → the real handler the deployed state machine invokes for it, bound to a stack's deps. */
import { createHandler as classifyUpload } from '../functions/classify-upload/handler.js';
import { createHandler as invalidateCdn } from '../functions/invalidate-cdn/handler.js';
import { createHandler as markFailed } from '../functions/mark-failed/handler.js';
import { createHandler as markRejected } from '../functions/mark-rejected/handler.js';
import { createHandler as pollTranscode } from '../functions/poll-transcode/handler.js';
import { createHandler as probeVideo } from '../functions/probe-video/handler.js';
import { createHandler as publishAsset } from '../functions/publish-asset/handler.js';
import { createHandler as recordPublished } from '../functions/record-published/handler.js';
import { createHandler as submitTranscode } from '../functions/submit-transcode/handler.js';
import { createHandler as transcodeEvents } from '../functions/transcode-events/handler.js';
import { createHandler as upsertCourse } from '../functions/upsert-course/handler.js';
import { createHandler as validateCaptions } from '../functions/validate-captions/handler.js';
import { createHandler as validatePdf } from '../functions/validate-pdf/handler.js';
import { createHandler as validateQuiz } from '../functions/validate-quiz/handler.js';
import { createHandler as verifyOutputs } from '../functions/verify-outputs/handler.js';
import type { Deps } from '../shared/deps.js';
import type { LambdaHandler } from './lambda-invoker.js';

/** The state machine's Task handlers over one stack's deps (each takes only its own part). */
export function taskHandlers(deps: () => Deps): Record<string, LambdaHandler> {
  return {
    ClassifyUpload: classifyUpload(deps),
    ValidatePdf: validatePdf(deps),
    ValidateQuiz: validateQuiz(deps),
    ValidateCaptions: validateCaptions(deps),
    UpsertCourse: upsertCourse(deps),
    ProbeVideo: probeVideo(deps),
    SubmitTranscode: submitTranscode(deps),
    PollTranscode: pollTranscode(deps),
    VerifyOutputs: verifyOutputs(deps),
    PublishAsset: publishAsset(deps),
    InvalidateCdn: invalidateCdn(deps),
    RecordPublished: recordPublished(deps),
    MarkRejected: markRejected(deps),
    MarkFailed: markFailed(deps),
  };
}

/** Functions invoked by events rather than by the state machine (EventBridge rules in AWS). */
export function eventHandlers(deps: () => Deps) {
  return {
    /** "MediaConvert Job State Change" events: the local transcoder delivers them here. */
    TranscodeEvents: transcodeEvents(deps) as LambdaHandler,
  };
}
