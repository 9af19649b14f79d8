/** Task state → the real handler the deployed state machine invokes for it. */
import { handler as classifyUpload } from '../functions/classify-upload/handler.js';
import { handler as invalidateCdn } from '../functions/invalidate-cdn/handler.js';
import { handler as markFailed } from '../functions/mark-failed/handler.js';
import { handler as markRejected } from '../functions/mark-rejected/handler.js';
import { handler as publishAsset } from '../functions/publish-asset/handler.js';
import { handler as recordPublished } from '../functions/record-published/handler.js';
import { handler as validatePdf } from '../functions/validate-pdf/handler.js';
import { handler as validateQuiz } from '../functions/validate-quiz/handler.js';
import type { LambdaHandler } from './lambda-invoker.js';

export const TASK_HANDLERS: Record<string, LambdaHandler> = {
  ClassifyUpload: classifyUpload,
  ValidatePdf: validatePdf,
  ValidateQuiz: validateQuiz,
  PublishAsset: publishAsset,
  InvalidateCdn: invalidateCdn,
  RecordPublished: recordPublished,
  MarkRejected: markRejected,
  MarkFailed: markFailed,
};
