import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { transcoder } from '../../shared/aws/mediaconvert.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { taskCallbacks } from '../../shared/aws/step-functions.js';
import { lambdaHandler } from '../../shared/lambda.js';
import { pollTranscode } from '../../shared/use-cases/poll-transcode.js';

export const handler = lambdaHandler(pollTranscode, () => ({ config: lambdaConfig(), db: database(), now: () => new Date(), published: publishedStore(), taskCallbacks: taskCallbacks(), transcoder: transcoder(), uploads: uploadsStore() }));
