/**
 * The orchestrator port over AWS Step Functions: one execution of `publish-content` per upload
 * version, named deterministically by the caller. The client comes in from outside.
 *
 * Duplicate deliveries: `ExecutionAlreadyExists` (the name is taken by an execution with another
 * input, or one that has finished — names stay taken for 90 days) means "already handled":
 * `started: false`. Step Functions answers an identical request for a still-running execution with
 * that execution's ARN and no error, so such a repeat reports `started: true`; either way exactly
 * one execution exists.
 */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { DependencyUnavailableError } from '../contract/errors.js';
import type { Orchestrator, StartResult } from '../ports/orchestrator.js';

/** Step Functions execution names: 1–80 characters of letters, digits, `-` and `_`. */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export class SfnOrchestrator implements Orchestrator {
  readonly stateMachineArn: string;
  readonly #client: SFNClient;

  constructor(client: SFNClient, stateMachineArn: string) {
    this.#client = client;
    this.stateMachineArn = stateMachineArn;
  }

  async startExecution(name: string, input: unknown): Promise<StartResult> {
    if (!EXECUTION_NAME.test(name)) throw new RangeError(`"${name}" is not a valid execution name (1–80 of A-Z a-z 0-9 - _).`);
    try {
      const out = await this.#client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
      );
      return { started: true, executionArn: out.executionArn ?? executionArn(this.stateMachineArn, name) };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
        return { started: false, executionArn: executionArn(this.stateMachineArn, name) };
      }
      if (isRetryable(error)) {
        throw new DependencyUnavailableError(`Step Functions is unavailable while starting ${name} (${describeError(error)}).`, { cause: error });
      }
      throw error;
    }
  }
}

/**
 * `arn:aws:states:<region>:<account>:stateMachine:<machine>` + name →
 * `arn:aws:states:<region>:<account>:execution:<machine>:<name>`.
 */
export function executionArn(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[5] !== 'stateMachine') throw new RangeError(`Not a state machine ARN: ${stateMachineArn}`);
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
}

/**
 * Throttling, 5xx, timeouts and lost connections (the SDK's own classification), plus
 * `ExecutionLimitExceeded` (too many open executions), which clears as executions finish.
 */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ExecutionLimitExceeded') return true;
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
