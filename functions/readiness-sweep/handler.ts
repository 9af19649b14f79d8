import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { metrics } from '../../shared/aws/metrics.js';
import { notifier } from '../../shared/aws/notifications.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { readinessSweep } from '../../shared/use-cases/readiness.js';

/** Scheduled (EventBridge Scheduler, every 5 minutes): readiness of upcoming classes, escalated as they near. */
export const createHandler = handlerFactory(readinessSweep);
export const handler = createHandler(() => ({ db: database(), notifier: notifier(), metrics: metrics(), now: () => new Date(), config: lambdaConfig() }));
