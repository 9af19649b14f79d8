/** PollTranscode: asks MediaConvert (GetJob) about a job whose events stopped; only reads. The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { transcoder } from '../../shared/aws/mediaconvert.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), now: () => new Date(), transcoder: transcoder() }));
