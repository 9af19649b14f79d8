/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { probeVideo } from '../../shared/use-cases/probe-video.js';

export const createHandler = handlerFactory(probeVideo);
