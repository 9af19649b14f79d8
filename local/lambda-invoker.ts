/**
 * Invokes a handler the way the Lambda service does: the event and the result cross a JSON
 * boundary, and a thrown error becomes `{ errorType, errorMessage, trace }` — which Step Functions
 * reports as Error = errorType and Cause = that JSON. The local orchestrator therefore sees the
 * same error names and causes as the deployed one.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { LecternError } from '../shared/contract/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler: the payload crosses a JSON boundary
export type LambdaHandler = (event: any, context: Context) => Promise<unknown>;

/** An error as Step Functions receives it from a failed Lambda invocation. */
export class LambdaFunctionError extends LecternError {
  readonly code = 'lambda.function-failed';
  constructor(errorType: string, cause: string) {
    super(cause);
    this.name = errorType;
  }
}

export async function invokeLambda(functionName: string, handler: LambdaHandler, event: unknown, timeoutMs = 60_000): Promise<unknown> {
  const payload = JSON.parse(JSON.stringify(event ?? null)) as unknown;
  const deadline = Date.now() + timeoutMs;
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } satisfies Context;
  try {
    const result = await handler(payload, context);
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    const errorType = err.name || 'Error';
    const cause = JSON.stringify({ errorType, errorMessage: err.message, trace: (err.stack ?? '').split('\n') });
    throw new LambdaFunctionError(errorType, cause);
  }
}
