/**
 * The task-callbacks twin: what Step Functions does for a `.waitForTaskToken` task, in-process.
 * The local orchestrator registers each token it hands out and awaits the promise; SendTaskSuccess
 * / SendTaskFailure settle it, SendTaskHeartbeat restarts the heartbeat clock, and the task's
 * HeartbeatSeconds / TimeoutSeconds end it with `States.HeartbeatTimeout` / `States.Timeout` —
 * so the PollTranscode path runs locally exactly as in AWS.
 *
 * Like Step Functions, a token whose task has ended (succeeded, failed, timed out) answers
 * `TaskTimedOut`, and a token never handed out answers `TaskDoesNotExist`.
 */
import { TaskTokenGoneError, type TaskCallbacks } from '../shared/ports/task-callbacks.js';
import { LecternError, InternalError } from '../shared/contract/errors.js';

export interface WaitOptions {
  /** HeartbeatSeconds, in milliseconds; undefined: no heartbeat required. */
  heartbeatMs?: number;
  /** TimeoutSeconds, in milliseconds; undefined: wait for ever. */
  timeoutMs?: number;
}

/** The error a waiting task ends with: `name` is what the state's Retry/Catch match. */
export class TaskEndedError extends LecternError {
  readonly code = 'task.ended';
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

interface Waiting {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  heartbeatMs?: number;
  heartbeat?: NodeJS.Timeout;
  timeout?: NodeJS.Timeout;
}

export type CallbackKind = 'success' | 'failure' | 'heartbeat';

export class LocalTaskCallbacks implements TaskCallbacks {
  readonly #waiting = new Map<string, Waiting>();
  /** Tokens whose task ended, and how (for TaskTimedOut answers and for tests). */
  readonly #ended = new Map<string, string>();
  /** Every call, in order (tests read it; tokens are local, never secrets). */
  readonly calls: Array<{ kind: CallbackKind; token: string; outcome: 'delivered' | 'TaskTimedOut' | 'TaskDoesNotExist' }> = [];

  /** Registers a token and returns the task's result: the output of SendTaskSuccess. */
  wait(token: string, options: WaitOptions = {}): Promise<unknown> {
    if (this.#waiting.has(token) || this.#ended.has(token)) throw new InternalError(`Task token ${token} was handed out twice.`);
    return new Promise((resolve, reject) => {
      const waiting: Waiting = { resolve, reject, ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}) };
      this.#waiting.set(token, waiting);
      if (options.timeoutMs !== undefined) {
        waiting.timeout = setTimeout(() => this.#end(token, 'timed out', new TaskEndedError('States.Timeout', 'The task did not answer within its TimeoutSeconds.')), options.timeoutMs);
      }
      this.#armHeartbeat(token, waiting);
    });
  }

  /** Ends a waiting task without an answer (its Lambda invocation failed). */
  abandon(token: string, reason: string): void {
    const waiting = this.#waiting.get(token);
    if (!waiting) return;
    this.#clear(waiting);
    this.#waiting.delete(token);
    this.#ended.set(token, reason);
  }

  /** How the task of `token` ended, or undefined while it waits (or for unknown tokens). */
  endedAs(token: string): string | undefined {
    return this.#ended.get(token);
  }

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    const waiting = this.#take(taskToken, 'success');
    // Step Functions receives the output as JSON text: same round trip here.
    waiting.resolve(JSON.parse(JSON.stringify(output ?? null)));
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    const waiting = this.#take(taskToken, 'failure');
    waiting.reject(new TaskEndedError(error, cause));
  }

  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    const waiting = this.#waiting.get(taskToken);
    if (!waiting) this.#gone(taskToken, 'heartbeat');
    this.calls.push({ kind: 'heartbeat', token: taskToken, outcome: 'delivered' });
    this.#armHeartbeat(taskToken, waiting as Waiting);
  }

  #take(token: string, kind: CallbackKind): Waiting {
    const waiting = this.#waiting.get(token);
    if (!waiting) this.#gone(token, kind);
    this.calls.push({ kind, token, outcome: 'delivered' });
    this.#clear(waiting as Waiting);
    this.#waiting.delete(token);
    this.#ended.set(token, kind === 'success' ? 'succeeded' : 'failed');
    return waiting as Waiting;
  }

  #gone(token: string, kind: CallbackKind): never {
    const ended = this.#ended.get(token);
    const problem = ended ? 'TaskTimedOut' : 'TaskDoesNotExist';
    this.calls.push({ kind, token, outcome: problem });
    throw new TaskTokenGoneError(problem, ended ? `Task Timed Out: the task already ${ended}.` : 'Task does not exist anymore (unknown token).');
  }

  #armHeartbeat(token: string, waiting: Waiting): void {
    if (waiting.heartbeatMs === undefined) return;
    if (waiting.heartbeat) clearTimeout(waiting.heartbeat);
    waiting.heartbeat = setTimeout(
      () => this.#end(token, 'timed out (heartbeat)', new TaskEndedError('States.HeartbeatTimeout', 'No heartbeat within the task\'s HeartbeatSeconds.')),
      waiting.heartbeatMs,
    );
  }

  #end(token: string, how: string, error: Error): void {
    const waiting = this.#waiting.get(token);
    if (!waiting) return;
    this.#clear(waiting);
    this.#waiting.delete(token);
    this.#ended.set(token, how);
    waiting.reject(error);
  }

  #clear(waiting: Waiting): void {
    if (waiting.heartbeat) clearTimeout(waiting.heartbeat);
    if (waiting.timeout) clearTimeout(waiting.timeout);
  }
}
