/** PollTranscode: asks MediaConvert (GetJob) about a job whose events stopped; only reads. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { transcoder } from '../../shared/aws/mediaconvert.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { pollTranscode } from '../../shared/use-cases/poll-transcode.js';

export const createHandler = handlerFactory(pollTranscode);
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), now: () => new Date(), transcoder: transcoder() }));
