/**
 * The local twin's execution records: one JSON file per execution name in the state folder, as
 * Step Functions keeps an execution's description and history. Written aside, then renamed into
 * place, so a reader (`lectern status`, replay, another process recovering interrupted
 * executions) never sees half a record.
 *
 * Records are small (12–20 KB), read and written with synchronous calls: Node's promise-based fs
 * costs 5–8× the CPU for a file this size (see shared/adapters/fs-object-store.ts), and every
 * execution writes its record twice (claimed, then ended).
 *
 * A start looks for interrupted executions in an index of the running ones (`unfinished()`), so
 * its cost follows what is running, not the folder's history: `<dir>-running/<name>` (beside the
 * records, which stay one file per execution), a marker holding the owner, made before a record is
 * saved RUNNING and removed after it is saved ended.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { InternalError } from '../shared/contract/errors.js';
import { inFolderSync, writeAsideSync } from '../shared/util/in-folder.js';
import { processAlive } from './process-alive.js';

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

/** The index of running executions: a folder beside the records' one, named after it. */
const RUNNING_SUFFIX = '-running';
/**
 * Written once the index names every RUNNING record of the folder. A folder from before the index
 * (or whose index was removed) has none: its first start reads every record's head, as it did
 * before the index, and makes the markers.
 */
const INDEXED_FILE = '.indexed';

/** What an execution name may be (Step Functions allows more; this twin keeps one file per name). */
export const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** The records kept in one folder. */
export class ExecutionRecords {
  readonly #dir: string;
  readonly #running: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.#running = `${dir}${RUNNING_SUFFIX}`;
  }

  async read(name: string): Promise<ExecutionRecord | undefined> {
    try {
      return JSON.parse(readFileSync(this.#file(name), 'utf8')) as ExecutionRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Whether a record of this name is stored (one `stat`: the record is not read). */
  has(name: string): boolean {
    return existsSync(this.#file(name));
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
   * The records that are RUNNING (what recovery after a crash looks at): the ones the index names.
   * A marker whose record is not RUNNING (its process was killed between the two writes) is
   * removed once that process is gone. A folder without a complete index is scanned once.
   */
  async unfinished(): Promise<ExecutionRecord[]> {
    if (!existsSync(path.join(this.#running, INDEXED_FILE))) return this.#indexAll();
    const records: ExecutionRecord[] = [];
    for (const name of this.#markers()) {
      const record = await this.read(name);
      if (record?.status === 'RUNNING') records.push(record);
      else if (this.#markerAbandoned(name)) rmSync(this.#marker(name), { force: true });
    }
    return records.sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  async save(record: ExecutionRecord): Promise<void> {
    // Compact: a quiz's record is 12 KB this way, 18 KB pretty-printed (`lectern status` reads it for people).
    const text = JSON.stringify(record);
    if (record.status === 'RUNNING') {
      // The marker first: a process killed between the two writes leaves a marker that names no
      // RUNNING record (dropped later), never a RUNNING record the index does not name.
      this.#mark(record);
      writeAsideSync(this.#file(record.name), text);
    } else {
      writeAsideSync(this.#file(record.name), text);
      rmSync(this.#marker(record.name), { force: true });
    }
  }

  /**
   * Every record's head read for its status (a record is written with its status among its first
   * keys, so a few hundred bytes tell a finished one apart; one whose head does not say, written
   * by hand, is read whole), the RUNNING ones given markers, then the index said complete.
   */
  async #indexAll(): Promise<ExecutionRecord[]> {
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
      if (record?.status !== 'RUNNING') continue;
      records.push(record);
      this.#mark(record);
    }
    const indexed = path.join(this.#running, INDEXED_FILE);
    inFolderSync(indexed, () => writeFileSync(indexed, ''));
    return records.sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  /** The names the index holds (none when it has no folder yet). */
  #markers(): string[] {
    try {
      return readdirSync(this.#running).filter((n) => EXECUTION_NAME.test(n));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return [];
    }
  }

  /**
   * Whether a marker's process can no longer save its record: none named, gone, or this very process (whose
   * saves write the marker and the record in one synchronous step, so none is half-way). Another
   * live process may be between the two writes of a save: its marker stays.
   */
  #markerAbandoned(name: string): boolean {
    let owner: { pid?: unknown; host?: unknown };
    try {
      owner = JSON.parse(readFileSync(this.#marker(name), 'utf8')) as typeof owner;
    } catch {
      return true; // removed meanwhile, or not one lectern wrote
    }
    if (typeof owner.pid !== 'number') return true;
    if (owner.host !== hostname()) return false; // another machine's process (a shared folder): not ours to judge
    return owner.pid === process.pid || !processAlive(owner.pid);
  }

  /** The record's marker in the index, holding its owner (the index's folder made if missing). */
  #mark(record: ExecutionRecord): void {
    const marker = this.#marker(record.name);
    inFolderSync(marker, () => writeFileSync(marker, JSON.stringify(record.owner ?? {})));
  }

  #marker(name: string): string {
    if (!EXECUTION_NAME.test(name)) throw new InternalError(`Invalid execution name: ${name}`, { code: 'execution.invalid-name' });
    return path.join(this.#running, name);
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
