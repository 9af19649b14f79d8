/** Scheduled (EventBridge Scheduler, every 5 minutes): readiness of upcoming classes, escalated as they near. The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { metrics } from '../../shared/aws/metrics.js';
import { notifier } from '../../shared/aws/notifications.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ db: database(), notifier: notifier(), metrics: metrics(), now: () => new Date(), config: lambdaConfig() }));
