import { lambdaConfig } from '../../shared/aws/environment.js';
import { publishedStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { verifyOutputs } from '../../shared/use-cases/verify-outputs.js';

export const createHandler = handlerFactory(verifyOutputs);
export const handler = createHandler(() => ({ config: lambdaConfig(), published: publishedStore() }));
