import { database } from '../../shared/aws/database.js';
import { metrics } from '../../shared/aws/metrics.js';
import { notifier } from '../../shared/aws/notifications.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { recordPublished } from '../../shared/use-cases/record-published.js';

export const createHandler = handlerFactory(recordPublished);
export const handler = createHandler(() => ({ db: database(), metrics: metrics(), notifier: notifier(), now: () => new Date(), uploads: uploadsStore() }));
