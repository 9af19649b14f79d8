import { lambdaConfig } from '../../shared/aws/environment.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { publishAsset } from '../../shared/use-cases/publish-asset.js';

export const createHandler = handlerFactory(publishAsset);
export const handler = createHandler(() => ({ config: lambdaConfig(), published: publishedStore(), uploads: uploadsStore() }));
