/** MarkCaptionsMissing: the video stays published; its report gets a warning and a metric counts it. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { markCaptionsMissing } from '../../shared/use-cases/mark-captions-missing.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(markCaptionsMissing);
