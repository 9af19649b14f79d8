/** Scheduled (EventBridge rate rule): repair or flag uploads stuck in processing. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { reconcile } from '../../shared/use-cases/reconcile.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(reconcile);
