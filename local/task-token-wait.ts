/**
 * `lambda:invoke.waitForTaskToken` tasks in the local twin. aws-local-stepfunctions has no
 * `.waitForTaskToken`, so the tokens are issued here (`$$.Task.Token`) and each such task invokes
 * its function, then waits on the task-callbacks twin for SendTaskSuccess / SendTaskFailure, the
 * heartbeat or the timeout; meanwhile it gives its execution's turn to run away.
 */
import { InternalError } from '../shared/contract/errors.js';
import { invokeLambda, type LambdaHandler } from './lambda-invoker.js';
import type { LocalTaskCallbacks, WaitOptions } from './local-task-callbacks.js';

/** An execution's turn to run: given away while it waits for a task token, taken again after. */
export interface Turn {
  release(): void;
  retake(): Promise<void>;
}

/**
 * `$$.Task.Token` for one execution run: a fresh token each time a state's Parameters read it (one
 * per state entry and retry, as Step Functions does), derived from the execution name, redrive and
 * entry count; `issued` holds every token handed out.
 */
export function taskTokens(name: string, redriveCount: number): { task: { readonly Token: string }; issued: Set<string> } {
  const issued = new Set<string>();
  let entries = 0;
  const task = {
    get Token(): string {
      const token = `local-task:${name}:r${redriveCount}:${++entries}`;
      issued.add(token);
      return token;
    },
  };
  return { task, issued };
}

/** What a callback state waits with: the twin that settles tokens, and the tests' timeouts for that state. */
export interface TokenWaitOptions {
  callbacks?: LocalTaskCallbacks | undefined;
  /** Heartbeat and timeout in ms instead of the ASL's seconds (tests). */
  override?: WaitOptions | undefined;
}

/**
 * A `lambda:invoke.waitForTaskToken` task: register the token the Payload carries, invoke the
 * function (its failure fails the task, as in AWS), then wait for SendTaskSuccess / Failure, the
 * heartbeat or the timeout — whichever comes first.
 */
export async function waitForTaskToken(
  { callbacks, override }: TokenWaitOptions,
  state: string,
  definition: Record<string, unknown>,
  functionName: string,
  handler: LambdaHandler,
  event: unknown,
  issued: Set<string>,
  turn: Turn,
): Promise<never> {
  if (!callbacks) throw new InternalError(`${state} waits for a task token, but this orchestrator has no task-callbacks twin.`);
  const payload = (event as { Payload?: unknown }).Payload;
  const token = findToken(payload, issued);
  if (!token) throw new InternalError(`${state}: its Payload does not carry $$.Task.Token, so nothing could ever answer it.`);
  const aslTimeoutMs = typeof definition.TimeoutSeconds === 'number' ? definition.TimeoutSeconds * 1000 : undefined;
  const aslHeartbeatMs = typeof definition.HeartbeatSeconds === 'number' ? definition.HeartbeatSeconds * 1000 : undefined;
  const timeoutMs = override?.timeoutMs !== undefined && aslTimeoutMs !== undefined ? Math.min(override.timeoutMs, aslTimeoutMs) : (override?.timeoutMs ?? aslTimeoutMs);
  const heartbeatMs = override?.heartbeatMs ?? aslHeartbeatMs;
  const settled = callbacks.wait(token, { ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(heartbeatMs !== undefined ? { heartbeatMs } : {}) });
  settled.catch(() => undefined); // observed below; never an unhandled rejection meanwhile
  try {
    await invokeLambda(functionName, handler, payload);
  } catch (error) {
    callbacks.abandon(token, 'failed (invocation)');
    throw error;
  }
  // Waiting for a transcode or a transcription takes minutes: other executions run meanwhile.
  turn.release();
  try {
    return (await settled) as never;
  } finally {
    await turn.retake();
  }
}

/** The issued task token somewhere in a payload (normally at `taskToken`). */
function findToken(value: unknown, issued: Set<string>): string | undefined {
  if (typeof value === 'string') return issued.has(value) ? value : undefined;
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) {
      const found = findToken(child, issued);
      if (found) return found;
    }
  }
  return undefined;
}
