import { lambdaHandler } from '../../shared/lambda.js';
import { recordPublished } from '../../shared/use-cases/record-published.js';

export const handler = lambdaHandler(recordPublished);
