/** The Lambda entry point: the handler bound to AWS, its clients built on the first invocation. */
import { cdn } from '../../shared/aws/cloudfront.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ cdn: cdn() }));
