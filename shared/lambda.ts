/**
 * The handler shell every function shares: middy with the Powertools Logger (context, cold
 * start, the asset version and execution ids as keys) and error codes kept through Lambda's error
 * serialisation. Errors are rethrown, which is what Step Functions' Retry and Catch need.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { getDeps, type Deps } from './deps.js';
import { DependencyUnavailableError } from './errors.js';
import { powertoolsMetrics } from './metrics.js';
import { logger } from './logger.js';

type UseCase<E, R> = (event: E, deps: Deps) => Promise<R>;

export function lambdaHandler<E, R>(useCase: UseCase<E, R>) {
  const handler = middy(async (event: E, _context: Context): Promise<R> => useCase(event, await getDeps()))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlationKeys())
    .use(codedErrors());
  // In Lambda, buffered EMF metrics are flushed after every invocation; locally they go to a file.
  return process.env.AWS_LAMBDA_FUNCTION_NAME ? handler.use(logMetrics(powertoolsMetrics, { captureColdStartMetric: true })) : handler;
}

/** Adds `assetVersionId` and `executionId` from a state-machine event to every log line. */
function correlationKeys(): middy.MiddlewareObj {
  return {
    before: function appendCorrelationKeys(request) {
      const event = (request.event ?? {}) as { executionId?: unknown; upload?: { assetVersionId?: unknown }; state?: { upload?: { assetVersionId?: unknown } } };
      const assetVersionId = event.upload?.assetVersionId ?? event.state?.upload?.assetVersionId;
      logger.appendKeys({
        ...(typeof event.executionId === 'string' ? { executionId: event.executionId } : {}),
        ...(typeof assetVersionId === 'string' ? { assetVersionId } : {}),
      });
    },
  };
}

/**
 * Lambda serialises a thrown error as `{ errorType, errorMessage }`, dropping other fields. Our
 * errors' stable `code` rides along as a `[code]` prefix of the message, which MarkRejected
 * parses back into the educator's reason.
 */
function codedErrors(): middy.MiddlewareObj {
  return {
    onError: function prefixErrorCode(request) {
      const error = request.error as (Error & { code?: unknown }) | null;
      if (!error) return;
      if (typeof error.code === 'string' && /^[a-z][a-z0-9.-]*$/.test(error.code) && !error.message.startsWith('[')) {
        error.message = `[${error.code}] ${error.message}`;
      }
      logger.error('step failed', { errorName: error.name, errorMessage: error.message });
      if (error instanceof DependencyUnavailableError && error.message.startsWith('Database unavailable')) {
        void getDeps().then((deps) => deps.metrics.add('DatabaseConnectionErrors', 'Count', 1)).catch(() => undefined);
      }
    },
  };
}
