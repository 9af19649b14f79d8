import { lambdaHandler } from '../../shared/lambda.js';
import { markFailed } from '../../shared/use-cases/mark-ended.js';

export const handler = lambdaHandler(markFailed);
