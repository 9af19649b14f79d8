/**
 * The task-callbacks port: finish or keep alive a Step Functions `.waitForTaskToken` task. The
 * AWS adapter wraps SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat
 * (`shared/adapters/sfn-task-callbacks.ts`); the local twin settles the local orchestrator's
 * waiting task (`local/local-task-callbacks.ts`).
 */
import { LecternError } from '../contract/errors.js';

export interface TaskCallbacks {
  /** Completes the task with `output` (JSON-serialisable; Step Functions caps it at 256 KB). */
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  /** Fails the task: `error` is what Retry/Catch match, `cause` the detail (JSON text). */
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
  /** Resets the task's HeartbeatSeconds clock. */
  sendTaskHeartbeat(taskToken: string): Promise<void>;
}

export type TaskTokenProblem = 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidToken';

/**
 * The task is no longer waiting for this token: it already completed, failed or timed out (its
 * execution then moved on — to PollTranscode, for instance), or the token is not one Step
 * Functions knows. A late or duplicate event; callers ignore it.
 */
export class TaskTokenGoneError extends LecternError {
  readonly code = 'task-token.gone';
  readonly problem: TaskTokenProblem;
  constructor(problem: TaskTokenProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TaskTokenGoneError';
    this.problem = problem;
  }
}
