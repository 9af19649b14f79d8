/**
 * The orchestrator's local twin: `aws-local-stepfunctions` runs the very ASL file that deploys to
 * AWS, with every Task bound to the real Lambda handler (through `invokeLambda`, which keeps
 * Lambda's JSON and error semantics). Executions are named and recorded like Step Functions':
 * starting an existing name is a no-op, and each execution's history is kept on disk for
 * `lectern status` and replay.
 *
 * Its parts: the records on disk (`execution-records.ts`), the task-token states
 * (`task-token-wait.ts`); this module starts, runs, redrives and recovers executions, at most
 * `maxRunning` at once.
 */
import { hostname } from 'node:os';
import { StateMachine } from 'aws-local-stepfunctions';
import { logger } from '../shared/runtime/logger.js';
import type { Orchestrator, StartResult } from '../shared/ports/orchestrator.js';
import { invokeLambda, type LambdaHandler } from './lambda-invoker.js';
import type { LocalTaskCallbacks, WaitOptions } from './local-task-callbacks.js';
import { Slots } from '../shared/util/slots.js';
import { LecternError, InternalError } from '../shared/contract/errors.js';
import { ExecutionRecords, newRecord, toHistory, type ExecutionRecord, type HistoryEvent } from './execution-records.js';
import { processAlive } from './process-alive.js';
import { taskTokens, waitForTaskToken, type Turn } from './task-token-wait.js';

/** RedriveExecution's refusal: the execution succeeded, is running, or never ran. */
export class ExecutionNotRedrivableError extends LecternError {
  readonly code = 'execution.not-redrivable';
  constructor(message: string) {
    super(message);
    this.name = 'ExecutionNotRedrivable';
  }
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
  /**
   * `.waitForTaskToken` tasks: the twin that issues and settles their tokens (SendTaskSuccess /
   * SendTaskFailure / SendTaskHeartbeat from the handlers, through `Deps.taskCallbacks`).
   */
  callbacks?: LocalTaskCallbacks;
  /** Per callback state: heartbeat and timeout in ms instead of the ASL's seconds (tests). */
  callbackTimeouts?: Record<string, WaitOptions>;
  /** Milliseconds every Wait state waits instead of its Seconds (tests). */
  waitMs?: number;
  onEvent?: (execution: string, event: HistoryEvent) => void;
  /**
   * Executions that run at once (default 16); the others wait their turn, in order, RUNNING. One
   * process runs every execution, so a thousand at once would each get a thousandth of it and
   * every step would outlast its TimeoutSeconds on a busy machine (a 1,000-upload burst at load 20
   * timed out 936 of them); a bounded number each finish their steps in the time one step takes
   * alone, however long the queue. An execution waiting for a task token gives its turn away.
   */
  maxRunning?: number;
}

/** How many executions run at once unless told otherwise. */
export const DEFAULT_MAX_RUNNING = 16;


/** The Lambda service integrations the twin runs; plain Lambda ARNs are invoked directly. */
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/**
 * The ASL is checked against the Step Functions schema by tests/infra/asl.test.ts (asl-validator);
 * compiling that schema again on every construction cost a quiz run a fifth of its CPU.
 */
const MACHINE_OPTIONS = { validationOptions: { noValidate: true } };

export class LocalStepFunctions implements Orchestrator {
  readonly #options: LocalStepFunctionsOptions;
  readonly #machine: StateMachine;
  readonly #running = new Map<string, Promise<ExecutionRecord>>();
  /** Names whose StartExecution is between its existence check and tracking the new run. */
  /** Names being claimed (their stored record is being looked up), and whether each one started. */
  readonly #starting = new Map<string, Promise<boolean>>();
  readonly #records: ExecutionRecords;
  readonly #taskStates: string[];
  readonly #turns: Slots;

  constructor(options: LocalStepFunctionsOptions) {
    this.#options = options;
    this.#records = new ExecutionRecords(options.dir);
    this.#machine = new StateMachine(options.definition as never, MACHINE_OPTIONS);
    this.#turns = new Slots(Math.max(1, options.maxRunning ?? DEFAULT_MAX_RUNNING));
    const states = (options.definition as { States: Record<string, { Type: string }> }).States;
    this.#taskStates = Object.entries(states)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name]) => name);
    const missing = this.#taskStates.filter((name) => !options.handlers[name]);
    if (missing.length > 0) throw new InternalError(`No local handler bound for Task state(s): ${missing.join(', ')}`);
  }

  executionArn(name: string): string {
    return `arn:aws:states:local:000000000000:execution:${this.#options.stateMachineName}:${name}`;
  }

  async startExecution(name: string, input: unknown): Promise<StartResult> {
    const executionArn = this.executionArn(name);
    // Claim the name before the first await: simultaneous deliveries of one event (S3 delivers
    // at least once) must not all see "no such execution" and each start one.
    if (this.#running.has(name) || this.#starting.has(name)) return { started: false, executionArn };
    const claim = (async () => {
      if (await this.describe(name)) return false;
      this.#track(name, this.#execute(newRecord(name, executionArn, this.#options.stateMachineName, input)));
      return true;
    })();
    this.#starting.set(name, claim);
    try {
      return { started: await claim, executionArn };
    } finally {
      this.#starting.delete(name);
    }
  }

  /**
   * Step Functions' RedriveExecution: continue a FAILED, TIMED_OUT or ABORTED execution from the
   * step that was unsuccessful, with that step's original input, under the same name.
   */
  async redriveExecution(name: string): Promise<{ redriveCount: number; resumedAt: string }> {
    if (this.#running.has(name) || this.#starting.has(name)) {
      throw new ExecutionNotRedrivableError(`Execution ${name} is RUNNING; only failed, timed-out or aborted executions can be redriven.`);
    }
    const claim = this.#redrive(name);
    this.#starting.set(name, claim.then(() => true, () => false));
    try {
      return await claim;
    } finally {
      this.#starting.delete(name);
    }
  }

  async #redrive(name: string): Promise<{ redriveCount: number; resumedAt: string }> {
    const record = await this.describe(name);
    if (!record || record.status === 'RUNNING' || record.status === 'SUCCEEDED') {
      throw new ExecutionNotRedrivableError(`Execution ${name} is ${record?.status ?? 'unknown'}; only failed, timed-out or aborted executions can be redriven.`);
    }
    const entered = [...record.history].reverse().find((e) => e.type === 'StateEntered' && e.state);
    if (!entered?.state) throw new ExecutionNotRedrivableError(`Execution ${name} has no step to redrive from.`);
    record.redriveCount += 1;
    record.status = 'RUNNING';
    delete record.stopDate;
    delete record.error;
    delete record.cause;
    record.history.push({ type: 'ExecutionRedriven', timestamp: new Date().toISOString(), state: entered.state });
    this.#track(name, this.#execute(record, { startAt: entered.state, input: entered.input }));
    return { redriveCount: record.redriveCount, resumedAt: entered.state };
  }

  /**
   * Executions left RUNNING by a lectern process that no longer exists (killed, crashed, the
   * machine rebooted) would never end and `lectern replay` would never list them: they are marked
   * ABORTED, which Step Functions can redrive. Their history on disk is written when an execution
   * ends, so an interrupted one resumes from its start — safe, because every step is idempotent.
   * Executions of live processes (another `lectern` on this state directory) are left alone.
   */
  async recoverInterrupted(): Promise<string[]> {
    const recovered: string[] = [];
    const startAt = (this.#options.definition as { StartAt: string }).StartAt;
    for (const record of await this.#records.unfinished()) {
      if (record.status !== 'RUNNING' || this.#running.has(record.name) || this.#starting.has(record.name)) continue;
      const owner = record.owner;
      if (owner && (owner.host !== hostname() || owner.pid === process.pid || processAlive(owner.pid))) continue;
      const now = new Date().toISOString();
      if (!record.history.some((e) => e.type === 'StateEntered')) {
        record.history.push({ type: 'StateEntered', timestamp: record.startDate, state: startAt, input: record.input });
      }
      record.status = 'ABORTED';
      record.error = 'ExecutionInterrupted';
      record.cause = `The lectern process running this execution (pid ${owner?.pid ?? 'unknown'}) stopped before it ended. Nothing was lost: replay it (lectern replay).`;
      record.stopDate = now;
      delete record.owner;
      record.history.push({ type: 'ExecutionAborted', timestamp: now, error: record.error, cause: record.cause });
      await this.#records.save(record);
      recovered.push(record.name);
    }
    return recovered;
  }

  /** Starts an execution (or finds the existing one) and waits for it to end. */
  async run(name: string, input: unknown): Promise<{ record: ExecutionRecord; started: boolean }> {
    const { started } = await this.startExecution(name, input);
    return { record: await this.wait(name), started };
  }

  /** Waits for a running execution; returns the stored record of a finished one. */
  async wait(name: string): Promise<ExecutionRecord> {
    // A simultaneous start of the same name may still be looking for its stored record: once it
    // has decided, the execution is either running or on disk.
    await this.#starting.get(name)?.catch(() => false);
    const running = this.#running.get(name);
    if (running) return running;
    const record = await this.describe(name);
    if (!record) throw new InternalError(`No execution named ${name}`, { code: 'execution.not-found' });
    return record;
  }

  /**
   * Whether an execution of this name was started (running, or recorded): what a caller that only
   * needs to know pays a `stat` for, not the read and parse of a 12–20 KB record.
   */
  has(name: string): boolean {
    return this.#running.has(name) || this.#starting.has(name) || this.#records.has(name);
  }

  async describe(name: string): Promise<ExecutionRecord | undefined> {
    return this.#records.read(name);
  }

  async list(): Promise<ExecutionRecord[]> {
    return this.#records.list();
  }

  /** Waits for every execution started so far. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  #track(name: string, done: Promise<ExecutionRecord>): void {
    this.#running.set(name, done);
    done.finally(() => this.#running.delete(name)).catch(() => undefined);
  }

  async #execute(record: ExecutionRecord, from?: { startAt: string; input: unknown }): Promise<ExecutionRecord> {
    record.owner = { pid: process.pid, host: hostname() };
    // Claimed on disk first (a killed process leaves it RUNNING, then ABORTED and replayable), then
    // it waits for its turn: no step of it has started, so no step's timeout runs meanwhile.
    await this.#records.save(record);
    await this.#turns.take();
    let held = true;
    const turn: Turn = {
      release: () => {
        if (!held) return;
        held = false;
        this.#turns.give();
      },
      retake: async () => {
        if (held) return;
        await this.#turns.take();
        held = true;
      },
    };
    try {
      return await this.#run(record, turn, from);
    } finally {
      turn.release();
    }
  }

  async #run(record: ExecutionRecord, turn: Turn, from?: { startAt: string; input: unknown }): Promise<ExecutionRecord> {
    const { name, input, startDate } = record;
    const machine = from
      ? new StateMachine({ ...this.#options.definition, StartAt: from.startAt } as never, MACHINE_OPTIONS)
      : this.#machine;
    const { handlers, retryIntervalMs, waitMs } = this.#options;
    // `$$.Task.Token`: a fresh token each time a state's Parameters read it (`task-token-wait.ts`).
    const { task, issued } = taskTokens(name, record.redriveCount);
    const states = (this.#options.definition as { States: Record<string, Record<string, unknown>> }).States;
    const taskResourceLocalHandlers = Object.fromEntries(
      this.#taskStates.map((state) => {
        const handler = handlers[state] as LambdaHandler;
        const functionName = state.charAt(0).toLowerCase() + state.slice(1);
        const definition = states[state] ?? {};
        if (definition.Resource === LAMBDA_CALLBACK) return [state, (event: unknown) =>
            waitForTaskToken({ callbacks: this.#options.callbacks, override: this.#options.callbackTimeouts?.[state] }, state, definition, functionName, handler, event, issued, turn),
          ];
        if (definition.Resource === LAMBDA_INVOKE) {
          return [state, async (event: unknown) => ({ StatusCode: 200, Payload: await invokeLambda(functionName, handler, (event as { Payload?: unknown }).Payload) }) as never];
        }
        return [state, (event: unknown) => invokeLambda(functionName, handler, event) as Promise<never>];
      }),
    );
    const retryIntervalOverrides =
      retryIntervalMs === undefined ? undefined : Object.fromEntries(this.#taskStates.map((state) => [state, retryIntervalMs]));
    const waitTimeOverrides =
      waitMs === undefined ? undefined : Object.fromEntries(Object.entries(states).filter(([, s]) => s.Type === 'Wait').map(([state]) => [state, waitMs]));
    const execution = machine.run((from ? from.input : input) as never, {
      overrides: { taskResourceLocalHandlers, ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}), ...(waitTimeOverrides ? { waitTimeOverrides } : {}) },
      context: {
        Execution: { Id: record.executionArn, Name: name, Input: input, StartTime: startDate, RedriveCount: record.redriveCount },
        StateMachine: { Id: `arn:aws:states:local:000000000000:stateMachine:${this.#options.stateMachineName}`, Name: this.#options.stateMachineName },
        Task: task,
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
    await logging.catch((error: unknown) => {
      // The record is still saved (an execution must not stay RUNNING), but its history is short.
      logger.warn('execution history incomplete: recording its events failed', { execution: name, errorMessage: (error as Error).message });
    });
    const failed = [...record.history].reverse().find((e) => e.type === 'ExecutionFailed');
    if (failed) {
      record.error = failed.error ?? record.error;
      record.cause = failed.cause ?? record.cause;
    }
    record.stopDate = new Date().toISOString();
    delete record.owner;
    await this.#records.save(record);
    return record;
  }
}
