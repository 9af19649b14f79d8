/**
 * What the reliability suites share: S3 events as EventBridge delivers them (from the fixture in
 * `events/s3/`), and one consistency check over everything an upload leaves behind — database
 * rows, execution records, reports, the published tree and the lesson manifests — so every suite
 * asserts the same invariant: each upload ended published, rejected or failed (replayable), and
 * nothing is lost or half-written.
 */
import { readFileSync } from 'node:fs';
import type { LocalStack } from '../../local/local-stack.js';
import type { S3ObjectCreatedEvent } from '../../shared/use-cases/ingest-upload.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../../events/s3/object-created-unversioned.eventbridge.json', import.meta.url), 'utf8')) as S3ObjectCreatedEvent;

/** S3's event-key encoding: URL encoding with form rules (a space is `+`). */
export function encodeEventKey(key: string): string {
  return key.split('/').map((part) => encodeURIComponent(part).replace(/%20/g, '+')).join('/');
}

/** The EventBridge "Object Created" event S3 sends for the object now at `key`. */
export async function objectCreatedEvent(uploads: ObjectStore, key: string): Promise<S3ObjectCreatedEvent> {
  const head = await uploads.head(key);
  if (!head) throw new Error(`${key} is not in the upload bucket`);
  const event = structuredClone(FIXTURE);
  event.time = head.lastModified.toISOString();
  event.detail = {
    ...event.detail,
    bucket: { name: uploads.bucket },
    object: { key: encodeEventKey(key), size: head.size, etag: head.etag, sequencer: Date.now().toString(16).toUpperCase().padStart(18, '0') },
  };
  return event;
}

export interface Consistency {
  /** Rows by status. */
  counts: Record<string, number>;
  /** Every inconsistency found, in words; empty when all is well. */
  problems: string[];
}

interface Row {
  id: string;
  status: string;
  source_key: string;
  kind: string | null;
  url: string | null;
  outputs: unknown;
  course_slug: string | null;
  lesson_slug: string | null;
  file_name: string | null;
  failed_state: string | null;
}

/**
 * Checks that every upload ended and left a coherent trail:
 * - no row is still `processing` and no execution is still RUNNING;
 * - every row's report (`_reports/<key>.json`) has the row's status and version;
 * - a published row's outputs exist in the published bucket, and its lesson manifest names it (or a
 *   newer version of the same file);
 * - a failed row's execution is FAILED (so `lectern replay` can bring it back); a rejected row's
 *   execution is FAILED with UploadRejected;
 * - nothing under the immutable prefixes is unaccounted for: every versioned file in the published
 *   bucket belongs to a published row (no half-published outputs);
 * - every source object is still in the upload bucket.
 */
export async function checkConsistency(stack: LocalStack, options: { expectedIds?: string[] } = {}): Promise<Consistency> {
  const problems: string[] = [];
  const rows = (await stack.db
    .selectFrom('asset_versions')
    .select(['id', 'status', 'source_key', 'kind', 'url', 'outputs', 'course_slug', 'lesson_slug', 'file_name', 'failed_state'])
    .execute()) as Row[];
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of options.expectedIds ?? []) if (!byId.has(id)) problems.push(`${id}: no database row`);

  const decoder = new TextDecoder();
  const manifests = new Map<string, { assets: Record<string, { assetVersionId: string }> } | undefined>();
  const referenced = new Set<string>();
  for (const row of rows) {
    const where = `${row.source_key} (${row.id})`;
    if (row.status === 'processing') problems.push(`${where}: still processing`);
    const execution = await stack.orchestrator.describe(row.id);
    if (!execution) problems.push(`${where}: no execution record`);
    else if (execution.status === 'RUNNING') problems.push(`${where}: execution still running`);
    else if (row.status === 'published' && execution.status !== 'SUCCEEDED') problems.push(`${where}: published, but the execution is ${execution.status}`);
    else if (row.status === 'failed' && execution.status !== 'FAILED') problems.push(`${where}: failed, but the execution is ${execution.status} (not replayable)`);
    else if (row.status === 'rejected' && execution.error !== 'UploadRejected') problems.push(`${where}: rejected, but the execution ended ${execution.status}/${execution.error}`);

    const reportBytes = await stack.uploads.get(`_reports/${row.source_key}.json`);
    if (!reportBytes) problems.push(`${where}: no report`);
    else {
      const report = JSON.parse(decoder.decode(reportBytes)) as { status?: string; assetVersionId?: string };
      // several versions of one key share a report path: it describes the latest to finish
      if (report.assetVersionId === row.id && report.status !== row.status) problems.push(`${where}: report says ${report.status}, database says ${row.status}`);
    }
    if (!(await stack.uploads.head(row.source_key))) problems.push(`${where}: the source object is gone`);

    if (row.status === 'published' && row.lesson_slug && row.file_name) {
      const outputs = (row.outputs ?? []) as Array<{ key?: string }>;
      if (outputs.length === 0) problems.push(`${where}: published without outputs`);
      for (const output of outputs) {
        if (!output.key) continue;
        referenced.add(output.key);
        if (!(await stack.published.head(output.key))) problems.push(`${where}: output ${output.key} is missing`);
      }
      const mKey = `courses/${row.course_slug}/lessons/${row.lesson_slug}/manifest.json`;
      if (!manifests.has(mKey)) {
        const bytes = await stack.published.get(mKey);
        manifests.set(mKey, bytes ? JSON.parse(decoder.decode(bytes)) : undefined);
      }
      const entry = manifests.get(mKey)?.assets[row.file_name];
      if (!entry) problems.push(`${where}: ${mKey} does not list ${row.file_name}`);
      else if (entry.assetVersionId !== row.id) {
        const current = byId.get(entry.assetVersionId);
        if (!current || current.status !== 'published' || current.source_key !== row.source_key) {
          problems.push(`${where}: ${mKey} points ${row.file_name} at ${entry.assetVersionId}, which is not a published version of it`);
        }
      }
    }
  }
  // Every file under a versioned prefix belongs to a published row: nothing half-published.
  for (const key of await stack.published.list('courses/')) {
    if (key.endsWith('/manifest.json')) continue;
    if (!referenced.has(key)) problems.push(`published/${key}: not an output of any published version`);
  }
  for (const execution of await stack.orchestrator.list()) {
    if (execution.status === 'RUNNING') problems.push(`execution ${execution.name} is still running`);
    if (!byId.has(execution.name) && !execution.name.includes('-replay-')) {
      // an execution that could not even record its end (e.g. the database was down at MarkFailed)
      if (execution.status !== 'FAILED') problems.push(`execution ${execution.name} (${execution.status}) has no database row`);
    }
  }
  return { counts, problems };
}
