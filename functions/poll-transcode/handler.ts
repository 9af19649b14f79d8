import { lambdaHandler } from '../../shared/lambda.js';
import { pollTranscode } from '../../shared/use-cases/poll-transcode.js';

export const handler = lambdaHandler(pollTranscode);
