/**
 * The local twin's execution records: one JSON file per execution name in the state folder, as
 * Step Functions keeps an execution's description and history. Written aside, then renamed into
 * place, so a reader (`lectern status`, replay, another process recovering interrupted
 * executions) never sees half a record.
 *
 * Records are small (12–20 KB), read and written with synchronous calls: Node's promise-based fs
 * costs 5–8× the CPU for a file this size (see shared/adapters/fs-object-store.ts), and every
 * execution writes its record at least twice and every start reads them all.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InternalError } from '../shared/contract/errors.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface HistoryEvent {
  type: string;
  timestamp: string;
  state?: string;
  /** The state's input (StateEntered only): what a redrive re-runs the failed step with. */
  input?: unknown;
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
  /** How many times the execution was redriven (Step Functions' `RedriveCount`). */
  redriveCount: number;
  /** The process running it (while RUNNING): an execution whose process is gone was interrupted. */
  owner?: { pid: number; host: string };
  history: HistoryEvent[];
}

/** What an execution name may be (Step Functions allows more; this twin keeps one file per name). */
export const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** The records kept in one folder. */
export class ExecutionRecords {
  readonly #dir: string;
  #writes = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async read(name: string): Promise<ExecutionRecord | undefined> {
    try {
      return JSON.parse(readFileSync(this.#file(name), 'utf8')) as ExecutionRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Every record, oldest start first. */
  async list(): Promise<ExecutionRecord[]> {
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      names = []; // nothing has run yet
    }
    const records = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.read(n.slice(0, -5))));
    return records.filter((r): r is ExecutionRecord => r !== undefined).sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  async save(record: ExecutionRecord): Promise<void> {
    const file = this.#file(record.name);
    // unique per write: two saves of one record within a millisecond must not share a temp file
    const temp = `${file}.${process.pid}.${++this.#writes}.tmp`;
    // Compact: a quiz's record is 12 KB this way, 18 KB pretty-printed (`lectern status` reads it for people).
    const text = JSON.stringify(record);
    try {
      writeFileSync(temp, text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(this.#dir, { recursive: true }); // first save (or the folder was removed)
      writeFileSync(temp, text);
    }
    renameSync(temp, file);
  }

  #file(name: string): string {
    if (!EXECUTION_NAME.test(name)) throw new InternalError(`Invalid execution name: ${name}`, { code: 'execution.invalid-name' });
    return path.join(this.#dir, `${name}.json`);
  }
}

export function newRecord(name: string, executionArn: string, stateMachine: string, input: unknown): ExecutionRecord {
  return { name, executionArn, stateMachine, status: 'RUNNING', input, startDate: new Date().toISOString(), redriveCount: 0, history: [] };
}

/** An `aws-local-stepfunctions` event as a history entry. */
export function toHistory(event: { type: string; timestamp: number }): HistoryEvent {
  const e = event as { type: string; timestamp: number } & { state?: { name?: string; input?: unknown }; Error?: string; Cause?: string };
  return {
    type: e.type,
    timestamp: new Date(e.timestamp).toISOString(),
    ...(e.state?.name ? { state: e.state.name } : {}),
    ...(e.type === 'StateEntered' && e.state?.input !== undefined ? { input: e.state.input } : {}),
    ...(e.Error ? { error: e.Error } : {}),
    ...(e.Cause ? { cause: typeof e.Cause === 'string' ? e.Cause : JSON.stringify(e.Cause) } : {}),
  };
}
