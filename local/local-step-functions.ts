/**
 * The orchestrator's local twin: `aws-local-stepfunctions` runs the very ASL file that deploys to
 * AWS, with every Task bound to the real Lambda handler (through `invokeLambda`, which keeps
 * Lambda's JSON and error semantics). Executions are named and recorded like Step Functions':
 * starting an existing name is a no-op, and each execution's history is kept on disk for
 * `lectern status` and replay.
 */
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Orchestrator, StartResult } from '../shared/ports/orchestrator.js';
import { invokeLambda, type LambdaHandler } from './lambda-invoker.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface HistoryEvent {
  type: string;
  timestamp: string;
  state?: string;
  error?: string;
  cause?: string;
}

export interface ExecutionRecord {
  name: string;
  executionArn: string;
  stateMachine: string;
  status: ExecutionStatus;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: string;
  stopDate?: string;
  history: HistoryEvent[];
}

export interface LocalStepFunctionsOptions {
  stateMachineName: string;
  /** The ASL definition (parsed JSON of `state-machines/<name>.asl.json`). */
  definition: Record<string, unknown>;
  /** Task state name → handler. */
  handlers: Record<string, LambdaHandler>;
  /** Where execution records are kept. */
  dir: string;
  /**
   * Milliseconds between retries, for every retrier. Unset: the ASL's own intervals, backoff and
   * jitter (what AWS does). Tests set a few milliseconds.
   */
  retryIntervalMs?: number;
  onEvent?: (execution: string, event: HistoryEvent) => void;
}

export class LocalStepFunctions implements Orchestrator {
  readonly #options: LocalStepFunctionsOptions;
  readonly #machine: StateMachine;
  readonly #running = new Map<string, Promise<ExecutionRecord>>();
  readonly #taskStates: string[];

  constructor(options: LocalStepFunctionsOptions) {
    this.#options = options;
    this.#machine = new StateMachine(options.definition as never, { validationOptions: { checkArn: false } });
    const states = (options.definition as { States: Record<string, { Type: string }> }).States;
    this.#taskStates = Object.entries(states)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name]) => name);
    const missing = this.#taskStates.filter((name) => !options.handlers[name]);
    if (missing.length > 0) throw new Error(`No local handler bound for Task state(s): ${missing.join(', ')}`);
  }

  executionArn(name: string): string {
    return `arn:aws:states:local:000000000000:execution:${this.#options.stateMachineName}:${name}`;
  }

  async startExecution(name: string, input: unknown): Promise<StartResult> {
    const executionArn = this.executionArn(name);
    if (this.#running.has(name) || (await this.describe(name))) return { started: false, executionArn };
    const done = this.#execute(name, input);
    this.#running.set(name, done);
    done.finally(() => this.#running.delete(name)).catch(() => undefined);
    return { started: true, executionArn };
  }

  /** Starts an execution (or finds the existing one) and waits for it to end. */
  async run(name: string, input: unknown): Promise<{ record: ExecutionRecord; started: boolean }> {
    const { started } = await this.startExecution(name, input);
    return { record: await this.wait(name), started };
  }

  /** Waits for a running execution; returns the stored record of a finished one. */
  async wait(name: string): Promise<ExecutionRecord> {
    const running = this.#running.get(name);
    if (running) return running;
    const record = await this.describe(name);
    if (!record) throw new Error(`No execution named ${name}`);
    return record;
  }

  async describe(name: string): Promise<ExecutionRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.#file(name), 'utf8')) as ExecutionRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(): Promise<ExecutionRecord[]> {
    const names = await readdir(this.#options.dir).catch(() => [] as string[]);
    const records = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.describe(n.slice(0, -5))));
    return records.filter((r): r is ExecutionRecord => r !== undefined).sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  /** Waits for every execution started so far. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  async #execute(name: string, input: unknown): Promise<ExecutionRecord> {
    const startDate = new Date().toISOString();
    const record: ExecutionRecord = {
      name,
      executionArn: this.executionArn(name),
      stateMachine: this.#options.stateMachineName,
      status: 'RUNNING',
      input,
      startDate,
      history: [],
    };
    await this.#save(record);
    const { handlers, retryIntervalMs } = this.#options;
    const taskResourceLocalHandlers = Object.fromEntries(
      this.#taskStates.map((state) => {
        const handler = handlers[state] as LambdaHandler;
        const functionName = state.charAt(0).toLowerCase() + state.slice(1);
        return [state, (event: unknown) => invokeLambda(functionName, handler, event) as Promise<never>];
      }),
    );
    const retryIntervalOverrides =
      retryIntervalMs === undefined ? undefined : Object.fromEntries(this.#taskStates.map((state) => [state, retryIntervalMs]));
    const execution = this.#machine.run(input as never, {
      overrides: { taskResourceLocalHandlers, ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}) },
      context: {
        Execution: { Id: record.executionArn, Name: name, Input: input, StartTime: startDate },
        StateMachine: { Id: `arn:aws:states:local:000000000000:stateMachine:${this.#options.stateMachineName}`, Name: this.#options.stateMachineName },
      } as never,
    });
    const logging = (async () => {
      for await (const event of execution.eventLogs) {
        const entry = toHistory(event);
        record.history.push(entry);
        this.#options.onEvent?.(name, entry);
      }
    })();
    try {
      record.output = await execution.result;
      record.status = 'SUCCEEDED';
    } catch (error) {
      const err = error as Error & { cause?: unknown };
      record.status = err.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : err.name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
      const failed = [...record.history].reverse().find((e) => e.type === 'ExecutionFailed');
      record.error = failed?.error ?? err.name;
      record.cause = failed?.cause ?? err.message;
    }
    await logging.catch(() => undefined);
    const failed = [...record.history].reverse().find((e) => e.type === 'ExecutionFailed');
    if (failed) {
      record.error = failed.error ?? record.error;
      record.cause = failed.cause ?? record.cause;
    }
    record.stopDate = new Date().toISOString();
    await this.#save(record);
    return record;
  }

  async #save(record: ExecutionRecord): Promise<void> {
    await mkdir(this.#options.dir, { recursive: true });
    const file = this.#file(record.name);
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, JSON.stringify(record, null, 2));
    await rename(temp, file);
  }

  #file(name: string): string {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new Error(`Invalid execution name: ${name}`);
    return path.join(this.#options.dir, `${name}.json`);
  }
}

function toHistory(event: { type: string; timestamp: number }): HistoryEvent {
  const e = event as { type: string; timestamp: number } & { state?: { name?: string }; Error?: string; Cause?: string };
  return {
    type: e.type,
    timestamp: new Date(e.timestamp).toISOString(),
    ...(e.state?.name ? { state: e.state.name } : {}),
    ...(e.Error ? { error: e.Error } : {}),
    ...(e.Cause ? { cause: typeof e.Cause === 'string' ? e.Cause : JSON.stringify(e.Cause) } : {}),
  };
}
