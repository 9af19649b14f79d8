/** Invoked by `lambda:invoke.waitForTaskToken`: starts the Transcribe job; the task waits for its callback. The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { taskCallbacks } from '../../shared/aws/step-functions.js';
import { transcriber } from '../../shared/aws/transcribe.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), published: publishedStore(), uploads: uploadsStore(), taskCallbacks: taskCallbacks(), transcriber: transcriber() }));
