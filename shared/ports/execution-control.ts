/**
 * What ops need from the orchestrator to replay: list unsuccessful executions, see why they
 * failed, redrive them, or start them again. Step Functions in AWS; the local orchestrator twin.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionSummary {
  executionArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
}

export interface ExecutionDetail extends ExecutionSummary {
  input: unknown;
  error?: string;
  cause?: string;
  /** The step that was running when the execution ended. */
  failedState?: string;
  redriveCount: number;
  /** Whether Step Functions would accept a redrive, and why not. */
  redrivable: boolean;
  notRedrivableReason?: string;
}

export interface ExecutionControl {
  /** Unsuccessful executions (FAILED, TIMED_OUT, ABORTED) that started at or after `since`, every page. */
  listUnsuccessful(since?: Date): Promise<ExecutionSummary[]>;
  describe(executionArn: string): Promise<ExecutionDetail | undefined>;
  /** RedriveExecution; `redriveCount` is the count before this redrive (it keys the client token). */
  redrive(executionArn: string, redriveCount: number): Promise<void>;
  /** StartExecution; `started: false` when the name exists already. */
  start(name: string, input: unknown): Promise<{ started: boolean; executionArn: string }>;
}
