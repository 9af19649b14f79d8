/** Task state → the real handler the deployed state machine invokes for it. */
import { handler as classifyUpload } from '../functions/classify-upload/handler.js';
import { handler as invalidateCdn } from '../functions/invalidate-cdn/handler.js';
import { handler as markFailed } from '../functions/mark-failed/handler.js';
import { handler as markRejected } from '../functions/mark-rejected/handler.js';
import { handler as pollTranscode } from '../functions/poll-transcode/handler.js';
import { handler as probeVideo } from '../functions/probe-video/handler.js';
import { handler as publishAsset } from '../functions/publish-asset/handler.js';
import { handler as recordPublished } from '../functions/record-published/handler.js';
import { handler as submitTranscode } from '../functions/submit-transcode/handler.js';
import { handler as transcodeEvents } from '../functions/transcode-events/handler.js';
import { handler as upsertCourse } from '../functions/upsert-course/handler.js';
import { handler as validateCaptions } from '../functions/validate-captions/handler.js';
import { handler as validatePdf } from '../functions/validate-pdf/handler.js';
import { handler as validateQuiz } from '../functions/validate-quiz/handler.js';
import { handler as verifyOutputs } from '../functions/verify-outputs/handler.js';
import type { LambdaHandler } from './lambda-invoker.js';

export const TASK_HANDLERS: Record<string, LambdaHandler> = {
  ClassifyUpload: classifyUpload,
  ValidatePdf: validatePdf,
  ValidateQuiz: validateQuiz,
  ValidateCaptions: validateCaptions,
  UpsertCourse: upsertCourse,
  ProbeVideo: probeVideo,
  SubmitTranscode: submitTranscode,
  PollTranscode: pollTranscode,
  VerifyOutputs: verifyOutputs,
  PublishAsset: publishAsset,
  InvalidateCdn: invalidateCdn,
  RecordPublished: recordPublished,
  MarkRejected: markRejected,
  MarkFailed: markFailed,
};

/** Functions invoked by events rather than by the state machine (EventBridge rules in AWS). */
export const EVENT_HANDLERS = {
  /** "MediaConvert Job State Change" events: the local transcoder delivers them here. */
  TranscodeEvents: transcodeEvents as LambdaHandler,
};
