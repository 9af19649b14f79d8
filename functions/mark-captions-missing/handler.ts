/** MarkCaptionsMissing: the video stays published; its report gets a warning and a metric counts it. The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { metrics } from '../../shared/aws/metrics.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ db: database(), metrics: metrics(), uploads: uploadsStore() }));
