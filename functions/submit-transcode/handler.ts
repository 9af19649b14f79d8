/** Invoked by `lambda:invoke.waitForTaskToken`: starts the job; the task waits for its callback. */
import { lambdaHandler } from '../../shared/lambda.js';
import { submitTranscode } from '../../shared/use-cases/submit-transcode.js';

export const handler = lambdaHandler(submitTranscode);
