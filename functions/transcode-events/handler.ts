/** EventBridge: "MediaConvert Job State Change" events of this stage (source aws.mediaconvert). */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { taskCallbacks } from '../../shared/aws/step-functions.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { handleTranscodeEvent } from '../../shared/use-cases/transcode-events.js';

export const createHandler = handlerFactory(handleTranscodeEvent);
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), taskCallbacks: taskCallbacks() }));
