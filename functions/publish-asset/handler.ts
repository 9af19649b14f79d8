import { lambdaConfig } from '../../shared/aws/environment.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { lambdaHandler } from '../../shared/lambda.js';
import { publishAsset } from '../../shared/use-cases/publish-asset.js';

export const handler = lambdaHandler(publishAsset, () => ({ config: lambdaConfig(), published: publishedStore(), uploads: uploadsStore() }));
