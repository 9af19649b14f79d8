/** Scheduled (EventBridge rate rule): repair or flag uploads stuck in processing. The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { metrics } from '../../shared/aws/metrics.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { executions } from '../../shared/aws/step-functions.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ db: database(), executions: executions(), metrics: metrics(), now: () => new Date(), uploads: uploadsStore() }));
