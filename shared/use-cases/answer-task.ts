/**
 * Answering a `.waitForTaskToken` task for a job that runs elsewhere — MediaConvert's transcode,
 * Transcribe's captions — from its state-change event, from the function that found the job
 * already ended, or to keep it alive (heartbeat). One place for the rule both follow: a task that
 * is no longer waiting (it already finished, or timed out and its poll loop took over:
 * TaskTimedOut / TaskDoesNotExist / InvalidToken) is not an error — the event was late or a
 * duplicate — and the caller is told so; every other failure to reach Step Functions is thrown
 * (the event source retries).
 */
import { TaskTokenGoneError, type TaskCallbacks, type TaskTokenProblem } from '../ports/task-callbacks.js';

export type TaskAnswer =
  | { kind: 'success'; output: unknown }
  /** `error` is what the state's Retry/Catch match; `cause` Lambda-shaped JSON (`{"errorType","errorMessage"}`). */
  | { kind: 'failure'; error: string; cause: string }
  | { kind: 'heartbeat' };

/** Delivers the answer: `delivered`, or the reason the task was no longer waiting. */
export async function answerTask(callbacks: TaskCallbacks, taskToken: string, answer: TaskAnswer): Promise<{ delivered: true } | { delivered: false; problem: TaskTokenProblem }> {
  try {
    if (answer.kind === 'success') await callbacks.sendTaskSuccess(taskToken, answer.output);
    else if (answer.kind === 'failure') await callbacks.sendTaskFailure(taskToken, answer.error, answer.cause);
    else await callbacks.sendTaskHeartbeat(taskToken);
    return { delivered: true };
  } catch (error) {
    if (error instanceof TaskTokenGoneError) return { delivered: false, problem: error.problem };
    throw error;
  }
}

/** A failure answer whose cause reads like a Lambda error's (MarkRejected / MarkFailed parse it). */
export function failureAnswer(error: string, message: string): TaskAnswer {
  return { kind: 'failure', error, cause: JSON.stringify({ errorType: error, errorMessage: message }) };
}
