import { lambdaConfig } from '../../shared/aws/environment.js';
import { publishedStore } from '../../shared/aws/s3.js';
import { lambdaHandler } from '../../shared/lambda.js';
import { verifyOutputs } from '../../shared/use-cases/verify-outputs.js';

export const handler = lambdaHandler(verifyOutputs, () => ({ config: lambdaConfig(), published: publishedStore() }));
