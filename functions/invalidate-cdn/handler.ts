import { cdn } from '../../shared/aws/cloudfront.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { invalidateCdn } from '../../shared/use-cases/invalidate-cdn.js';

export const createHandler = handlerFactory(invalidateCdn);
export const handler = createHandler(() => ({ cdn: cdn() }));
