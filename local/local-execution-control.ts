/**
 * The local orchestrator behind the `ExecutionControl` port. Executions run in this process, so
 * redrive and start wait for the execution to end (a CLI that exited would abandon it).
 */
import type { ExecutionControl, ExecutionDetail, ExecutionSummary } from '../shared/ports/execution-control.js';
import { EXECUTION_NAME, type ExecutionRecord } from './execution-records.js';
import type { LocalStepFunctions } from './local-step-functions.js';

const REDRIVABLE_DAYS = 14;
const UNSUCCESSFUL = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

export class LocalExecutionControl implements ExecutionControl {
  readonly #orchestrator: LocalStepFunctions;
  readonly #now: () => Date;

  constructor(orchestrator: LocalStepFunctions, now: () => Date = () => new Date()) {
    this.#orchestrator = orchestrator;
    this.#now = now;
  }

  async listUnsuccessful(since?: Date): Promise<ExecutionSummary[]> {
    return (await this.#orchestrator.list())
      .filter((r) => UNSUCCESSFUL.has(r.status) && (!since || Date.parse(r.startDate) >= since.getTime()))
      .map(summary);
  }

  async describe(executionArn: string): Promise<ExecutionDetail | undefined> {
    // A name this twin could never have stored is no execution (Step Functions: ExecutionDoesNotExist);
    // an execution record that cannot be read is a fault, and is thrown, not taken for "none".
    const name = nameOf(executionArn);
    if (!EXECUTION_NAME.test(name)) return undefined;
    const record = await this.#orchestrator.describe(name);
    if (!record) return undefined;
    const failedState = [...record.history].reverse().find((e) => e.type === 'StateEntered')?.state;
    const age = record.stopDate ? this.#now().getTime() - Date.parse(record.stopDate) : 0;
    const tooOld = age > REDRIVABLE_DAYS * 24 * 3600 * 1000;
    const redrivable = UNSUCCESSFUL.has(record.status) && !tooOld && failedState !== undefined;
    return {
      ...summary(record),
      input: record.input,
      ...(record.error ? { error: record.error } : {}),
      ...(record.cause ? { cause: record.cause } : {}),
      ...(failedState ? { failedState } : {}),
      redriveCount: record.redriveCount ?? 0,
      redrivable,
      ...(redrivable ? {} : { notRedrivableReason: tooOld ? `ended more than ${REDRIVABLE_DAYS} days ago` : `status ${record.status}` }),
    };
  }

  async redrive(executionArn: string, _redriveCount: number): Promise<void> {
    const name = nameOf(executionArn);
    await this.#orchestrator.redriveExecution(name);
    await this.#orchestrator.wait(name);
  }

  async start(name: string, input: unknown): Promise<{ started: boolean; executionArn: string }> {
    const result = await this.#orchestrator.startExecution(name, input);
    await this.#orchestrator.wait(name);
    return result;
  }
}

function nameOf(arnOrName: string): string {
  return arnOrName.split(':').at(-1) ?? arnOrName;
}

function summary(record: ExecutionRecord): ExecutionSummary {
  return {
    executionArn: record.executionArn,
    name: record.name,
    status: record.status,
    startDate: new Date(record.startDate),
    ...(record.stopDate ? { stopDate: new Date(record.stopDate) } : {}),
  };
}
