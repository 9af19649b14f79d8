import { lambdaHandler } from '../../shared/lambda.js';
import { markRejected } from '../../shared/use-cases/mark-ended.js';

export const handler = lambdaHandler(markRejected);
