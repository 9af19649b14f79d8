/** The Lambda entry point: the handler bound to AWS, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { metrics } from '../../shared/aws/metrics.js';
import { notifier } from '../../shared/aws/notifications.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ db: database(), metrics: metrics(), notifier: notifier(), now: () => new Date(), uploads: uploadsStore() }));
