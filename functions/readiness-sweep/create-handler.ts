/** Scheduled (EventBridge Scheduler, every 5 minutes): readiness of upcoming classes, escalated as they near. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { readinessSweep } from '../../shared/use-cases/readiness.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(readinessSweep);
