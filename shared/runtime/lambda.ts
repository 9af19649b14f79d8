/**
 * The handler shell every function shares: middy with the Powertools Logger (context, cold
 * start, the asset version and execution ids as keys) and error codes kept through Lambda's error
 * serialisation. Errors are rethrown, which is what Step Functions' Retry and Catch need.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Deps } from './deps.js';
import { DependencyUnavailableError } from '../contract/errors.js';
import { powertoolsMetrics } from './metrics.js';
import { logger } from './logger.js';

type UseCase<E, R, D> = (event: E, deps: D) => Promise<R>;

/**
 * Binds a use-case to the Lambda shell: returns the function module's `createHandler(deps)`.
 * `deps` builds exactly what the use-case takes (its `Pick<Deps, …>`), once per handler and lazily
 * — in Lambda from the environment (`handler = createHandler(awsDeps)`), locally from the twins of
 * the stack that binds it. Nothing is kept at module level: two stacks in one process each run
 * their own handlers.
 */
export function handlerFactory<E, R, D extends Partial<Deps>>(useCase: UseCase<E, R, D>) {
  return function createHandler(build: () => D) {
    let built: D | undefined;
    const deps = (): D => (built ??= build());
    const handler = middy(async (event: E, _context: Context): Promise<R> => useCase(event, deps()))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(correlationKeys())
      .use(codedErrors(deps));
    // In Lambda, buffered EMF metrics are flushed after every invocation; locally they go to a file.
    return process.env.AWS_LAMBDA_FUNCTION_NAME ? handler.use(logMetrics(powertoolsMetrics, { captureColdStartMetric: true })) : handler;
  };
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
function codedErrors(deps: () => Partial<Deps>): middy.MiddlewareObj {
  return {
    onError: function prefixErrorCode(request) {
      const error = request.error as (Error & { code?: unknown }) | null;
      if (!error) return;
      if (typeof error.code === 'string' && /^[a-z][a-z0-9.-]*$/.test(error.code) && !error.message.startsWith('[')) {
        error.message = `[${error.code}] ${error.message}`;
      }
      logger.error('step failed', { errorName: error.name, errorMessage: error.message });
      if (error instanceof DependencyUnavailableError && error.message.startsWith('Database unavailable')) {
        try {
          deps().metrics?.add('DatabaseConnectionErrors', 'Count', 1);
        } catch (metricError) {
          logger.warn('could not count a database connection error', { error: String(metricError) });
        }
      }
    },
  };
}
