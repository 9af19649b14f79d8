/** Invoked by `lambda:invoke.waitForTaskToken`: starts the Transcribe job; the task waits for its callback. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { submitTranscription } from '../../shared/use-cases/submit-transcription.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(submitTranscription);
