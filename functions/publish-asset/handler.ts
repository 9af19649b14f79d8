/** The Lambda entry point: the handler bound to AWS, its clients built on the first invocation. */
import { lambdaConfig } from '../../shared/aws/environment.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), published: publishedStore(), uploads: uploadsStore() }));
