/** Invoked by `lambda:invoke.waitForTaskToken`: starts the job; the task waits for its callback. The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { transcoder } from '../../shared/aws/mediaconvert.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { taskCallbacks } from '../../shared/aws/step-functions.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), now: () => new Date(), published: publishedStore(), taskCallbacks: taskCallbacks(), transcoder: transcoder(), uploads: uploadsStore() }));
