/** EventBridge: "MediaConvert Job State Change" events of this stage (source aws.mediaconvert). */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { handleTranscodeEvent } from '../../shared/use-cases/transcode-events.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(handleTranscodeEvent);
