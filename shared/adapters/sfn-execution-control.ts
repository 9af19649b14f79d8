/**
 * Step Functions behind the `ExecutionControl` port: ListExecutions (every page, per status),
 * DescribeExecution (redrive status, error, input), GetExecutionHistory (the failed step),
 * RedriveExecution, StartExecution. The client is injected.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  type ExecutionStatus as SfnStatus,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { ExecutionControl, ExecutionDetail, ExecutionStatus, ExecutionSummary } from '../ports/execution-control.js';

const UNSUCCESSFUL: SfnStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

export class SfnExecutionControl implements ExecutionControl {
  readonly #client: SFNClient;
  readonly #stateMachineArn: string;

  constructor(client: SFNClient, stateMachineArn: string) {
    this.#client = client;
    this.#stateMachineArn = stateMachineArn;
  }

  async listUnsuccessful(since?: Date): Promise<ExecutionSummary[]> {
    const found: ExecutionSummary[] = [];
    for (const statusFilter of UNSUCCESSFUL) {
      let nextToken: string | undefined;
      do {
        const page = await this.#client.send(
          new ListExecutionsCommand({ stateMachineArn: this.#stateMachineArn, statusFilter, maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
        );
        for (const e of page.executions ?? []) {
          if (!e.executionArn || !e.name || !e.startDate) continue;
          if (since && e.startDate.getTime() < since.getTime()) continue;
          found.push({ executionArn: e.executionArn, name: e.name, status: e.status as ExecutionStatus, startDate: e.startDate, ...(e.stopDate ? { stopDate: e.stopDate } : {}) });
        }
        // Executions are listed newest first: once older than `since`, later pages are older still.
        const oldest = page.executions?.at(-1)?.startDate;
        nextToken = since && oldest && oldest.getTime() < since.getTime() ? undefined : page.nextToken;
      } while (nextToken);
    }
    return found.sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
  }

  async describe(executionArn: string): Promise<ExecutionDetail | undefined> {
    const e = await this.#client.send(new DescribeExecutionCommand({ executionArn }));
    if (!e.executionArn || !e.name || !e.startDate) return undefined;
    const history = await this.#client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50 }));
    const failedState = history.events?.find((event) => event.type?.endsWith('StateEntered'))?.stateEnteredEventDetails?.name;
    return {
      executionArn: e.executionArn,
      name: e.name,
      status: e.status as ExecutionStatus,
      startDate: e.startDate,
      ...(e.stopDate ? { stopDate: e.stopDate } : {}),
      input: e.input ? (JSON.parse(e.input) as unknown) : {},
      ...(e.error ? { error: e.error } : {}),
      ...(e.cause ? { cause: e.cause } : {}),
      ...(failedState ? { failedState } : {}),
      redriveCount: e.redriveCount ?? 0,
      redrivable: e.redriveStatus === 'REDRIVABLE',
      ...(e.redriveStatus === 'REDRIVABLE' ? {} : { notRedrivableReason: e.redriveStatusReason ?? e.redriveStatus ?? 'unknown' }),
    };
  }

  async redrive(executionArn: string, redriveCount: number): Promise<void> {
    // The client token makes a retried call for the same redrive attempt a no-op.
    const name = executionArn.split(':').at(-1) ?? '';
    await this.#client.send(new RedriveExecutionCommand({ executionArn, clientToken: `${name.slice(0, 50)}-r${redriveCount + 1}` }));
  }

  async start(name: string, input: unknown): Promise<{ started: boolean; executionArn: string }> {
    const executionArn = `${this.#stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    try {
      const result = await this.#client.send(new StartExecutionCommand({ stateMachineArn: this.#stateMachineArn, name, input: JSON.stringify(input) }));
      return { started: true, executionArn: result.executionArn ?? executionArn };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return { started: false, executionArn };
      throw error;
    }
  }
}
