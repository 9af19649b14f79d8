/** EventBridge: "Transcribe Job State Change" events of this stage's jobs (source aws.transcribe). The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { taskCallbacks } from '../../shared/aws/step-functions.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), taskCallbacks: taskCallbacks() }));
