/**
 * The local twin's execution records: one JSON file per execution name in the state folder, as
 * Step Functions keeps an execution's description and history. Written aside, then renamed into
 * place, so a reader (`lectern status`, replay, another process recovering interrupted
 * executions) never sees half a record.
 *
 * Records are small (12–20 KB), read and written with synchronous calls: Node's promise-based fs
 * costs 5–8× the CPU for a file this size (see shared/adapters/fs-object-store.ts), and every
 * execution writes its record twice (claimed, then ended). A start looks for interrupted ones
 * reading only each record's head (`unfinished()`).
 */
import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { InternalError } from '../shared/contract/errors.js';
import { writeAsideSync } from '../shared/util/in-folder.js';

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

/** How much of a record `unfinished()` reads to find its status: names and ARNs are bounded (80 characters each). */
const RECORD_HEAD_BYTES = 768;
/** A record's status as `newRecord` orders its keys (`JSON.stringify` keeps that order on every save). */
const STATUS_IN_HEAD = /^\{"name":"[A-Za-z0-9_-]*","executionArn":"[^"\\]*","stateMachine":"[^"\\]*","status":"([A-Z_]+)"/;

/** What an execution name may be (Step Functions allows more; this twin keeps one file per name). */
export const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** The records kept in one folder. */
export class ExecutionRecords {
  readonly #dir: string;

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
    const records = await Promise.all(this.#names().map((name) => this.read(name)));
    return records.filter((r): r is ExecutionRecord => r !== undefined).sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  /** The names of the records in the folder. */
  #names(): string[] {
    try {
      return readdirSync(this.#dir)
        .filter((n) => n.endsWith('.json') && EXECUTION_NAME.test(n.slice(0, -5)))
        .map((n) => n.slice(0, -5));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return []; // nothing has run yet
    }
  }

  /**
   * The records that may still be RUNNING (what recovery after a crash looks at), without reading
   * every record: a record is written with its status among its first keys, so the head of the
   * file tells a finished one apart. A record whose head does not say (written otherwise, by hand)
   * is read whole. A folder's history grows by one record per upload; this keeps a start's cost to
   * a few hundred bytes per record (~5 µs) rather than parsing each one (~100 µs for 12 KB).
   */
  async unfinished(): Promise<ExecutionRecord[]> {
    const head = Buffer.alloc(RECORD_HEAD_BYTES);
    const records: ExecutionRecord[] = [];
    for (const name of this.#names()) {
      let length: number;
      try {
        const fd = openSync(path.join(this.#dir, `${name}.json`), 'r');
        try {
          length = readSync(fd, head, 0, head.length, 0);
        } finally {
          closeSync(fd);
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed meanwhile
        throw error;
      }
      const status = STATUS_IN_HEAD.exec(head.toString('utf8', 0, length))?.[1];
      if (status !== undefined && status !== 'RUNNING') continue;
      const record = await this.read(name);
      if (record?.status === 'RUNNING') records.push(record);
    }
    return records.sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  async save(record: ExecutionRecord): Promise<void> {
    // Compact: a quiz's record is 12 KB this way, 18 KB pretty-printed (`lectern status` reads it for people).
    writeAsideSync(this.#file(record.name), JSON.stringify(record));
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
