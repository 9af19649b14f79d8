/** PollTranscode: asks MediaConvert (GetJob) about a job whose events stopped; only reads. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { pollTranscode } from '../../shared/use-cases/poll-transcode.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(pollTranscode);
