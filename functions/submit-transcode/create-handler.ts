/** Invoked by `lambda:invoke.waitForTaskToken`: starts the job; the task waits for its callback. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { submitTranscode } from '../../shared/use-cases/submit-transcode.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(submitTranscode);
