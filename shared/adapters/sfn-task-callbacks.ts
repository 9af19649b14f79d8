/**
 * The task-callbacks port over AWS Step Functions (SendTaskSuccess / SendTaskFailure /
 * SendTaskHeartbeat). The client comes in from outside. A token whose task is gone
 * (`TaskTimedOut`, `TaskDoesNotExist`, `InvalidToken`) becomes `TaskTokenGoneError`, which
 * callers ignore; throttling and 5xx become `DependencyUnavailableError`.
 */
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { DependencyUnavailableError } from '../contract/errors.js';
import { TaskTokenGoneError, type TaskCallbacks, type TaskTokenProblem } from '../ports/task-callbacks.js';

const GONE: readonly string[] = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'];

/** SendTaskFailure limits: error ≤ 256 characters, cause ≤ 32 768. */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

export class SfnTaskCallbacks implements TaskCallbacks {
  readonly #client: SFNClient;

  constructor(client: SFNClient) {
    this.#client = client;
  }

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    await this.#send('SendTaskSuccess', () => this.#client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? null) })));
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    await this.#send('SendTaskFailure', () =>
      this.#client.send(new SendTaskFailureCommand({ taskToken, error: error.slice(0, MAX_ERROR), cause: cause.slice(0, MAX_CAUSE) })),
    );
  }

  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    await this.#send('SendTaskHeartbeat', () => this.#client.send(new SendTaskHeartbeatCommand({ taskToken })));
  }

  async #send(operation: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (error instanceof Error && GONE.includes(error.name)) {
        throw new TaskTokenGoneError(error.name as TaskTokenProblem, `${operation}: ${error.name} (${error.message})`, { cause: error });
      }
      const sdkError = error as Parameters<typeof isThrottlingError>[0];
      if (error instanceof Error && (isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError))) {
        throw new DependencyUnavailableError(`Step Functions ${operation} is unavailable (${error.name}: ${error.message}).`, { cause: error });
      }
      throw error;
    }
  }
}
