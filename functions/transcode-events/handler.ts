/** EventBridge: "MediaConvert Job State Change" events of this stage (source aws.mediaconvert). */
import { lambdaHandler } from '../../shared/lambda.js';
import { handleTranscodeEvent } from '../../shared/use-cases/transcode-events.js';

export const handler = lambdaHandler(handleTranscodeEvent);
