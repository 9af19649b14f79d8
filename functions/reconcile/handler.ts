import { database } from '../../shared/aws/database.js';
import { metrics } from '../../shared/aws/metrics.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { executions } from '../../shared/aws/step-functions.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { reconcile } from '../../shared/use-cases/reconcile.js';

/** Scheduled (EventBridge rate rule): repair or flag uploads stuck in processing. */
export const createHandler = handlerFactory(reconcile);
export const handler = createHandler(() => ({ db: database(), executions: executions(), metrics: metrics(), now: () => new Date(), uploads: uploadsStore() }));
