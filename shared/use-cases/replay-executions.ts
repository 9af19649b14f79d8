/**
 * `lectern replay`: find unsuccessful executions and bring each back — a redrive where Step
 * Functions allows it (same execution, resumes at the failed step), otherwise a new execution
 * with the same input under a name derived from the original, so running replay twice starts
 * nothing new. Rejections are verdicts on the file, not failures: they are not replayed.
 */
import { createHash } from 'node:crypto';
import type { ExecutionControl, ExecutionDetail, ExecutionStatus } from '../ports/execution-control.js';
import { parseCause } from './mark-ended.js';

export type ReplayDecision =
  | { action: 'redrive'; reason: string }
  | { action: 'restart'; name: string; reason: string }
  | { action: 'skip'; reason: string };

export interface ReplayItem {
  executionArn: string;
  name: string;
  status: string;
  failedState?: string;
  error?: string;
  decision: ReplayDecision;
  /** What happened when it was carried out (absent on --dry-run). */
  outcome?: 'redriven' | 'started' | 'already-replayed' | 'skipped' | 'error';
  detail?: string;
  /**
   * The execution carrying the replay — the same one (redrive) or the restart —, when it was
   * asked, and (redrive) when the execution had stopped before: it has ended again once it stops later.
   */
  replay?: { executionArn: string; at: string; stoppedBefore?: string };
  /** Where the replayed execution ended (`awaitReplays`); `published` only when it succeeded. */
  final?: { status: ExecutionStatus; published: boolean; error?: string; cause?: string; seconds: number };
}

/** Pure: what to do with one unsuccessful execution. */
export function decideReplay(execution: ExecutionDetail): ReplayDecision {
  if (execution.error === 'UploadRejected') {
    return { action: 'skip', reason: 'rejected: the file itself must be fixed and uploaded again' };
  }
  if (execution.redrivable) return { action: 'redrive', reason: `resumes at ${execution.failedState ?? 'the failed step'}` };
  return { action: 'restart', name: restartName(execution), reason: `cannot redrive (${execution.notRedrivableReason ?? 'not redrivable'}): restart with the same input` };
}

/** Deterministic: the same failed execution always maps to the same restart name (≤ 80 chars). */
export function restartName(execution: Pick<ExecutionDetail, 'name' | 'stopDate' | 'startDate'>): string {
  const stamp = (execution.stopDate ?? execution.startDate).toISOString();
  const digest = createHash('sha256').update(`${execution.name}\n${stamp}`).digest('hex').slice(0, 8);
  return `${execution.name.slice(0, 66)}-replay-${digest}`.slice(0, 80);
}

export interface ReplayOptions {
  since?: Date;
  /** Only this execution (ARN or name). */
  execution?: string;
  dryRun?: boolean;
  /** Wait for each replayed execution to end and record where (`final`); poll every `pollMs`. */
  wait?: { pollMs: number; onProgress?: AwaitOptions['onProgress'] };
}

export async function replayExecutions(control: ExecutionControl, options: ReplayOptions = {}): Promise<ReplayItem[]> {
  const summaries = await control.listUnsuccessful(options.since);
  const wanted = options.execution
    ? summaries.filter((s) => s.executionArn === options.execution || s.name === options.execution)
    : summaries;
  if (options.execution && wanted.length === 0) {
    const detail = await control.describe(options.execution);
    if (detail) wanted.push(detail);
  }
  const items: ReplayItem[] = [];
  for (const summary of wanted) {
    const execution = await control.describe(summary.executionArn);
    if (!execution || !['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution.status)) continue;
    const decision = decideReplay(execution);
    const item: ReplayItem = {
      executionArn: execution.executionArn,
      name: execution.name,
      status: execution.status,
      ...(execution.failedState ? { failedState: execution.failedState } : {}),
      ...(execution.error ? { error: execution.error } : {}),
      decision,
    };
    items.push(item);
    if (options.dryRun) continue;
    try {
      const at = new Date().toISOString();
      if (decision.action === 'redrive') {
        await control.redrive(execution.executionArn, execution.redriveCount);
        item.outcome = 'redriven';
        item.replay = { executionArn: execution.executionArn, at, ...(execution.stopDate ? { stoppedBefore: execution.stopDate.toISOString() } : {}) };
      } else if (decision.action === 'restart') {
        const { started, executionArn } = await control.start(decision.name, execution.input);
        item.outcome = started ? 'started' : 'already-replayed';
        item.replay = { executionArn, at };
      } else {
        item.outcome = 'skipped';
      }
    } catch (error) {
      item.outcome = 'error';
      item.detail = (error as Error).message;
    }
  }
  return options.wait && !options.dryRun ? awaitReplays(control, items, options.wait) : items;
}

export interface AwaitOptions {
  /** How often each running replay is described (local: a fraction of a second; AWS: seconds). */
  pollMs: number;
  /** Called whenever a replayed execution is seen running (with its seconds so far) or ends. */
  onProgress?: (item: ReplayItem, seconds: number) => void;
}

/**
 * Waits until every replayed execution has ended, and records where (`final`). A redriven
 * execution may still show its old failure for a moment: it has ended once it stops again, later.
 */
export async function awaitReplays(control: ExecutionControl, items: ReplayItem[], options: AwaitOptions): Promise<ReplayItem[]> {
  const pending = items.filter((i) => i.replay);
  while (pending.length > 0) {
    for (const item of [...pending]) {
      const replay = item.replay as NonNullable<ReplayItem['replay']>;
      const seconds = Math.round((Date.now() - Date.parse(replay.at)) / 1000);
      const detail = await control.describe(replay.executionArn);
      const stopped = detail?.stopDate?.getTime();
      const ended = detail && detail.status !== 'RUNNING' && stopped !== undefined && (!replay.stoppedBefore || stopped > Date.parse(replay.stoppedBefore));
      if (!ended) {
        options.onProgress?.(item, seconds);
        continue;
      }
      // A succeeded redrive may still carry its old error; a failure's cause is the error's message (no trace).
      const failed = detail.status !== 'SUCCEEDED';
      const cause = failed && detail.cause ? parseCause({ Error: detail.error ?? detail.status, Cause: detail.cause }).message : undefined;
      item.final = {
        status: detail.status,
        published: !failed,
        ...(failed && detail.error ? { error: detail.error } : {}),
        ...(cause ? { cause } : {}),
        seconds,
      };
      pending.splice(pending.indexOf(item), 1);
      options.onProgress?.(item, seconds);
    }
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
  return items;
}
