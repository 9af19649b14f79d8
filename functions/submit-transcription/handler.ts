/** Invoked by `lambda:invoke.waitForTaskToken`: starts the Transcribe job; the task waits for its callback. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { taskCallbacks } from '../../shared/aws/step-functions.js';
import { transcriber } from '../../shared/aws/transcribe.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { submitTranscription } from '../../shared/use-cases/submit-transcription.js';

export const createHandler = handlerFactory(submitTranscription);
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), published: publishedStore(), uploads: uploadsStore(), taskCallbacks: taskCallbacks(), transcriber: transcriber() }));
