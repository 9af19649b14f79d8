/**
 * Course records. Every write is an upsert keyed by natural keys (course slug; course + lesson
 * slug; lesson + file name; asset version id), so a retried, duplicated or replayed step writes
 * the same rows once. Status never moves backwards from `published` for a version, and an
 * asset's current version only moves forward in upload order.
 */
import { sql } from 'kysely';
import type { SourceObject } from '../contract/asset-version.js';
import type { Reason } from '../contract/errors.js';
import { withDatabase, type LecternDb } from './database.js';
import type { AssetStatus, AssetVersionRow } from './schema.js';

export interface VersionIdentity {
  id: string;
  source: SourceObject;
  receivedAt: Date;
  courseSlug?: string;
  lessonSlug?: string;
  fileName?: string;
  kind?: string;
  executionId: string;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);

function baseValues(v: VersionIdentity, status: AssetStatus) {
  return {
    id: v.id,
    source_bucket: v.source.bucket,
    source_key: v.source.key,
    source_etag: v.source.etag,
    source_version_id: v.source.versionId ?? null,
    source_size: v.source.size,
    source_event_time: v.source.eventTime ?? null,
    course_slug: v.courseSlug ?? null,
    lesson_slug: v.lessonSlug ?? null,
    file_name: v.fileName ?? null,
    kind: v.kind ?? null,
    status,
    execution_id: v.executionId,
    received_at: v.receivedAt,
  };
}

/** ClassifyUpload: the upload is being processed (unless this version was already published). */
export async function markProcessing(db: LecternDb, v: VersionIdentity, startedAt: Date): Promise<void> {
  await withDatabase('recording an upload as processing', () =>
    db
      .insertInto('asset_versions')
      .values({ ...baseValues(v, 'processing'), started_at: startedAt, reasons: '[]', warnings: '[]', metadata: '{}', outputs: '[]', error: json(null) })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            status: 'processing',
            course_slug: eb.ref('excluded.course_slug'),
            lesson_slug: eb.ref('excluded.lesson_slug'),
            file_name: eb.ref('excluded.file_name'),
            kind: eb.ref('excluded.kind'),
            execution_id: eb.ref('excluded.execution_id'),
            started_at: eb.ref('excluded.started_at'),
            attempts: sql<number>`asset_versions.attempts + case when asset_versions.execution_id is distinct from excluded.execution_id then 1 else 0 end`,
            updated_at: sql`now()`,
          }))
          .where('asset_versions.status', '!=', 'published'),
      )
      .execute(),
  );
}

export interface PublishedRecord {
  version: VersionIdentity & { courseSlug: string; lessonSlug: string; fileName: string; stem: string; kind: string };
  format?: string;
  warnings: Reason[];
  metadata: Record<string, unknown>;
  outputs: unknown[];
  /** SHA-256 of the source; unknown for videos, which are addressed by their asset version. */
  contentSha256?: string;
  url: string;
  finishedAt: Date;
}

/**
 * RecordPublished: course → lesson → asset → version, and the asset's current-version pointer, in
 * one statement (a CTE per parent row), so it is atomic without a transaction: one round trip
 * through RDS Proxy instead of six (BEGIN, three upserts, the pointer, COMMIT), and in PGlite about
 * a third less CPU (1.03 against 1.64 ms per publish, steady state). The foreign keys between the asset and its version are checked at the end of
 * the statement, when both rows exist.
 */
export async function recordPublished(db: LecternDb, r: PublishedRecord): Promise<void> {
  const v = r.version;
  const durationMs = Math.max(0, r.finishedAt.getTime() - v.receivedAt.getTime());
  // The asset's pointer moves forward only: an older upload finishing late never wins. The check
  // reads the asset's current version as it was before this statement (CTEs share one snapshot).
  const pointer = sql<string>`case when assets.current_version_id is null or assets.current_version_id = ${v.id} or not exists (
      select 1 from asset_versions as cur where cur.id = assets.current_version_id
      and (coalesce(cur.source_event_time, cur.received_at), cur.id) > (${v.source.eventTime ?? v.receivedAt}::timestamptz, ${v.id}::text)
    ) then ${v.id} else assets.current_version_id end`;
  await withDatabase('recording a published upload', () =>
    db
      .with('course', (db) =>
        db
          .insertInto('courses')
          .values({ slug: v.courseSlug })
          .onConflict((oc) => oc.column('slug').doUpdateSet({ updated_at: sql`now()` }))
          .returning('id'),
      )
      .with('lesson', (db) =>
        db
          .insertInto('lessons')
          .columns(['course_id', 'slug'])
          .expression((eb) => eb.selectFrom('course').select((s) => ['course.id', s.val(v.lessonSlug).as('slug')]))
          .onConflict((oc) => oc.columns(['course_id', 'slug']).doUpdateSet({ updated_at: sql`now()` }))
          .returning('id'),
      )
      .with('asset', (db) =>
        db
          .insertInto('assets')
          .columns(['lesson_id', 'file_name', 'stem', 'kind', 'current_version_id'])
          .expression((eb) =>
            eb
              .selectFrom('lesson')
              .select((s) => ['lesson.id', s.val(v.fileName).as('file_name'), s.val(v.stem).as('stem'), s.val(v.kind).as('kind'), s.val(v.id).as('current_version_id')]),
          )
          .onConflict((oc) => oc.columns(['lesson_id', 'file_name']).doUpdateSet({ kind: v.kind, current_version_id: pointer, updated_at: sql`now()` }))
          .returning('id'),
      )
      .insertInto('asset_versions')
      .values((eb) => ({
        ...baseValues(v, 'published'),
        asset_id: eb.selectFrom('asset').select('asset.id'),
        format: r.format ?? null,
        reasons: '[]',
        warnings: json(r.warnings),
        metadata: json(r.metadata),
        outputs: json(r.outputs),
        content_sha256: r.contentSha256 ?? null,
        url: r.url,
        error: json(null),
        failed_state: null,
        finished_at: r.finishedAt,
        duration_ms: durationMs,
      }))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          asset_id: eb.ref('excluded.asset_id'),
          status: 'published',
          // the content may decide the kind (ProbeVideo: an .mp4 without a picture is audio)
          kind: eb.ref('excluded.kind'),
          format: eb.ref('excluded.format'),
          reasons: eb.ref('excluded.reasons'),
          warnings: eb.ref('excluded.warnings'),
          metadata: eb.ref('excluded.metadata'),
          outputs: eb.ref('excluded.outputs'),
          content_sha256: eb.ref('excluded.content_sha256'),
          url: eb.ref('excluded.url'),
          error: eb.ref('excluded.error'),
          failed_state: null,
          execution_id: eb.ref('excluded.execution_id'),
          // The first publication's timing stands; a replay does not rewrite history.
          finished_at: sql`coalesce(asset_versions.finished_at, excluded.finished_at)`,
          duration_ms: sql`case when asset_versions.status = 'published' then asset_versions.duration_ms else excluded.duration_ms end`,
          updated_at: sql`now()`,
        })),
      )
      .execute(),
  );
}

export interface EndedRecord {
  version: VersionIdentity;
  /** `published` only for uploads with no asset of their own (course.yaml). */
  status: 'rejected' | 'failed' | 'published';
  format?: string;
  reasons: Reason[];
  warnings: Reason[];
  metadata: Record<string, unknown>;
  failedState?: string;
  error?: Record<string, unknown>;
  finishedAt: Date;
}

/** MarkRejected / MarkFailed. A version that was already published stays published. */
export async function recordEnded(db: LecternDb, r: EndedRecord): Promise<{ status: AssetStatus }> {
  return withDatabase(`recording an upload as ${r.status}`, async () => {
    const durationMs = Math.max(0, r.finishedAt.getTime() - r.version.receivedAt.getTime());
    const row = await db
      .insertInto('asset_versions')
      .values({
        ...baseValues(r.version, r.status),
        format: r.format ?? null,
        reasons: json(r.reasons),
        warnings: json(r.warnings),
        metadata: json(r.metadata),
        outputs: '[]',
        failed_state: r.failedState ?? null,
        error: json(r.error ?? null),
        finished_at: r.finishedAt,
        duration_ms: durationMs,
      })
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            course_slug: sql`coalesce(excluded.course_slug, asset_versions.course_slug)`,
            lesson_slug: sql`coalesce(excluded.lesson_slug, asset_versions.lesson_slug)`,
            file_name: sql`coalesce(excluded.file_name, asset_versions.file_name)`,
            kind: sql`coalesce(excluded.kind, asset_versions.kind)`,
            format: sql`coalesce(excluded.format, asset_versions.format)`,
            reasons: eb.ref('excluded.reasons'),
            warnings: eb.ref('excluded.warnings'),
            metadata: eb.ref('excluded.metadata'),
            failed_state: eb.ref('excluded.failed_state'),
            error: eb.ref('excluded.error'),
            execution_id: eb.ref('excluded.execution_id'),
            finished_at: eb.ref('excluded.finished_at'),
            duration_ms: eb.ref('excluded.duration_ms'),
            updated_at: sql`now()`,
          }))
          .where('asset_versions.status', '!=', 'published'),
      )
      .returning('status')
      .executeTakeFirst();
    return { status: row?.status ?? 'published' };
  });
}

export async function getAssetVersion(db: LecternDb, id: string): Promise<AssetVersionRow | undefined> {
  return withDatabase('reading an asset version', () => db.selectFrom('asset_versions').selectAll().where('id', '=', id).executeTakeFirst());
}
