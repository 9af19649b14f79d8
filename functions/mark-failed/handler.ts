import { database } from '../../shared/aws/database.js';
import { metrics } from '../../shared/aws/metrics.js';
import { notifier } from '../../shared/aws/notifications.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { markFailed } from '../../shared/use-cases/mark-ended.js';

export const createHandler = handlerFactory(markFailed);
export const handler = createHandler(() => ({ db: database(), metrics: metrics(), notifier: notifier(), now: () => new Date(), uploads: uploadsStore() }));
