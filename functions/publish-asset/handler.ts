import { lambdaHandler } from '../../shared/lambda.js';
import { publishAsset } from '../../shared/use-cases/publish-asset.js';

export const handler = lambdaHandler(publishAsset);
