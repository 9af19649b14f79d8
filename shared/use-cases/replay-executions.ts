/**
 * `lectern replay`: find unsuccessful executions and bring each back — a redrive where Step
 * Functions allows it (same execution, resumes at the failed step), otherwise a new execution
 * with the same input under a name derived from the original, so running replay twice starts
 * nothing new. Rejections are verdicts on the file, not failures: they are not replayed.
 */
import { createHash } from 'node:crypto';
import type { ExecutionControl, ExecutionDetail } from '../ports/execution-control.js';

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
      if (decision.action === 'redrive') {
        await control.redrive(execution.executionArn, execution.redriveCount);
        item.outcome = 'redriven';
      } else if (decision.action === 'restart') {
        const { started } = await control.start(decision.name, execution.input);
        item.outcome = started ? 'started' : 'already-replayed';
      } else {
        item.outcome = 'skipped';
      }
    } catch (error) {
      item.outcome = 'error';
      item.detail = (error as Error).message;
    }
  }
  return items;
}
