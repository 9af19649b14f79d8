import { lambdaHandler } from '../../shared/lambda.js';
import { reconcile } from '../../shared/use-cases/reconcile.js';

/** Scheduled (EventBridge rate rule): repair or flag uploads stuck in processing. */
export const handler = lambdaHandler((event: unknown, deps) => reconcile(event, deps));
