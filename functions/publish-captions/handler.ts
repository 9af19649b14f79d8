/** PublishCaptions: the automatic captions join the lesson as `<asset>.<lang>.auto.vtt`, attached to the video's master. The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { lambdaConfig } from '../../shared/aws/environment.js';
import { metrics } from '../../shared/aws/metrics.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), metrics: metrics(), published: publishedStore(), uploads: uploadsStore() }));
