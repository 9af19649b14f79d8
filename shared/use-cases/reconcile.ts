/**
 * The reconciler (scheduled λ and `lectern reconcile`): finds uploads stuck in `processing` past a
 * threshold and executions that ended without their record being updated, and repairs or flags
 * them. Idempotent: a second run over the same state finds nothing new.
 *
 * - record `processing`, execution ended unsuccessfully (timed out, aborted, or could not record
 *   its own failure) → recorded as failed with the failing step and error, report written;
 * - record `processing`, execution still running past the hard limit → flagged;
 * - record `processing`, execution unknown → flagged (replay by uploading again);
 * - unsuccessful execution with no record at all → recorded as failed from its input;
 * - with `unprocessedUploads` (the local stack, where the upload folder is small and its events
 *   are the lectern process itself): an object in the upload bucket whose version has neither a
 *   record nor an execution → flagged (never processed: `lectern run` it).
 */
import { sql } from 'kysely';
import { assetVersionId, sourceOf } from '../contract/asset-version.js';
import { recordEnded, getAssetVersion } from '../db/asset-repository.js';
import { withDatabase } from '../db/database.js';
import type { Deps } from '../runtime/deps.js';

/** What reconcile needs (its Lambda builds just this). */
export type ReconcileDeps = Pick<Deps, 'db' | 'executions' | 'metrics' | 'now' | 'uploads'>;
import type { Reason } from '../contract/errors.js';
import type { ExecutionDetail } from '../ports/execution-control.js';
import type { ExecutionState } from '../contract/pipeline.js';
import { writeReport } from '../contract/report.js';

export interface ReconcileOptions {
  /** A `processing` record untouched this long is looked at (default 30 minutes). */
  stuckAfterMs?: number;
  /** A still-running execution older than this is flagged (default 24 hours: long transcodes). */
  runningLimitMs?: number;
  /** Also list the upload bucket for versions that were never processed (local stack). */
  unprocessedUploads?: boolean;
  /** Report only: change nothing, emit no metrics. */
  dryRun?: boolean;
}

export type ReconcileAction = 'marked-failed' | 'flagged' | 'none';

export interface ReconcileFinding {
  assetVersionId: string;
  key: string;
  problem: 'execution-ended-unrecorded' | 'running-too-long' | 'execution-missing' | 'execution-succeeded-unrecorded' | 'no-record' | 'never-processed';
  executionStatus?: string;
  /** When the record last changed (or the upload arrived, for `never-processed`), ISO 8601. */
  since?: string;
  action: ReconcileAction;
  detail: string;
}

export async function reconcile(_event: unknown, deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<{ findings: ReconcileFinding[] }> {
  const now = deps.now();
  const stuckAfter = options.stuckAfterMs ?? 30 * 60_000;
  const runningLimit = options.runningLimitMs ?? 24 * 3_600_000;
  const findings: ReconcileFinding[] = [];

  const stuck = await withDatabase('finding stuck uploads', () =>
    deps.db.selectFrom('asset_versions').selectAll().where('status', '=', 'processing').where(sql<boolean>`updated_at < ${new Date(now.getTime() - stuckAfter)}`).execute(),
  );
  for (const row of stuck) {
    const execution = row.execution_id ? await deps.executions.describe(row.execution_id) : undefined;
    const base = { assetVersionId: row.id, key: row.source_key, ...(execution ? { executionStatus: execution.status } : {}), since: new Date(row.updated_at as unknown as Date).toISOString() };
    if (!execution) {
      findings.push({ ...base, problem: 'execution-missing', action: 'flagged', detail: 'No execution found for this upload: upload the file again to process it.' });
    } else if (execution.status === 'RUNNING') {
      const age = now.getTime() - execution.startDate.getTime();
      if (age > runningLimit) findings.push({ ...base, problem: 'running-too-long', action: 'flagged', detail: `Running for ${Math.round(age / 60_000)} minutes (at ${execution.failedState ?? 'unknown step'}).` });
    } else if (execution.status === 'SUCCEEDED') {
      findings.push({ ...base, problem: 'execution-succeeded-unrecorded', action: 'flagged', detail: 'The execution succeeded but the record still says processing: replay it to rewrite the record.' });
    } else {
      const finding: ReconcileFinding = { ...base, problem: 'execution-ended-unrecorded', action: options.dryRun ? 'none' : 'marked-failed', detail: describeEnd(execution) };
      if (!options.dryRun) await markFromExecution(deps, execution, now);
      findings.push(finding);
    }
  }

  // Executions that failed before any record existed (e.g. the database was down throughout).
  for (const summary of await deps.executions.listUnsuccessful(new Date(now.getTime() - 14 * 86_400_000))) {
    if (!/^av-[0-9a-f]{32}$/.test(summary.name)) continue;
    if (await getAssetVersion(deps.db, summary.name)) continue;
    const execution = await deps.executions.describe(summary.executionArn);
    if (!execution || execution.error === 'UploadRejected') continue;
    const source = (execution.input as { source?: { key?: string } }).source;
    findings.push({
      assetVersionId: summary.name,
      key: source?.key ?? '(unknown)',
      problem: 'no-record',
      executionStatus: execution.status,
      action: options.dryRun ? 'none' : 'marked-failed',
      detail: describeEnd(execution),
    });
    if (!options.dryRun) await markFromExecution(deps, execution, now);
  }

  if (options.unprocessedUploads) findings.push(...(await neverProcessed(deps)));

  if (!options.dryRun) {
    deps.metrics.add('StuckUploadsFound', 'Count', findings.length);
    deps.metrics.add('StuckUploadsRepaired', 'Count', findings.filter((f) => f.action === 'marked-failed').length);
  }
  return { findings };
}

/** Objects in the upload bucket whose current version no run has seen: no record, no execution. */
async function neverProcessed(deps: ReconcileDeps): Promise<ReconcileFinding[]> {
  const found: ReconcileFinding[] = [];
  for (const key of await deps.uploads.list('courses/')) {
    const head = await deps.uploads.head(key);
    if (!head) continue;
    const id = assetVersionId(sourceOf(deps.uploads.bucket, head));
    if ((await getAssetVersion(deps.db, id)) || (await deps.executions.describe(id))) continue;
    found.push({
      assetVersionId: id,
      key,
      problem: 'never-processed',
      since: head.lastModified.toISOString(),
      action: 'flagged',
      detail: 'In the upload folder, never processed: lectern run it, or start lectern dev (it processes what is new).',
    });
  }
  return found;
}

function describeEnd(execution: ExecutionDetail): string {
  return `Execution ${execution.status}${execution.failedState ? ` at ${execution.failedState}` : ''}${execution.error ? ` (${execution.error})` : ''}.`;
}

async function markFromExecution(deps: ReconcileDeps, execution: ExecutionDetail, now: Date): Promise<void> {
  const state = execution.input as ExecutionState;
  const source = state.source;
  if (!source?.key) return;
  const reasons: Reason[] = [
    {
      code: 'pipeline.failed',
      message: `The execution ${execution.status.toLowerCase().replace('_', ' ')}${execution.failedState ? ` at ${execution.failedState}` : ''} without recording the outcome (${execution.error ?? 'no error'}). Nothing was lost: replay it.`,
    },
  ];
  const receivedAt = source.eventTime ? new Date(source.eventTime) : now;
  const { status } = await recordEnded(deps.db, {
    version: { id: execution.name.replace(/-replay-[0-9a-f]{8}$/, ''), source, receivedAt, executionId: execution.executionArn },
    status: 'failed',
    reasons,
    warnings: [],
    metadata: {},
    ...(execution.failedState ? { failedState: execution.failedState } : {}),
    error: { errorType: execution.error ?? execution.status, message: execution.cause ?? '' },
    finishedAt: now,
  });
  if (status !== 'failed') return;
  await writeReport(deps.uploads, {
    key: source.key,
    assetVersionId: execution.name,
    status: 'failed',
    reasons,
    warnings: [],
    receivedAt: receivedAt.toISOString(),
    finishedAt: now.toISOString(),
    replay: `lectern replay --execution ${execution.executionArn}`,
    executionId: execution.executionArn,
  });
}
