import { cdn } from '../../shared/aws/cloudfront.js';
import { lambdaHandler } from '../../shared/lambda.js';
import { invalidateCdn } from '../../shared/use-cases/invalidate-cdn.js';

export const handler = lambdaHandler(invalidateCdn, () => ({ cdn: cdn() }));
