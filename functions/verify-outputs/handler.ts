import { lambdaHandler } from '../../shared/lambda.js';
import { verifyOutputs } from '../../shared/use-cases/verify-outputs.js';

export const handler = lambdaHandler(verifyOutputs);
