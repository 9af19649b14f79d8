/** What `lectern status` reads: every upload version, with whether it is its asset's current one. */
import { sql } from 'kysely';
import { withDatabase, type LecternDb } from './database.js';

export interface StatusRow {
  id: string;
  source_key: string;
  course_slug: string | null;
  lesson_slug: string | null;
  file_name: string | null;
  kind: string | null;
  format: string | null;
  status: 'processing' | 'published' | 'rejected' | 'failed';
  reasons: unknown;
  warnings: unknown;
  url: string | null;
  execution_id: string | null;
  failed_state: string | null;
  error: unknown;
  received_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  /** When the record last changed. */
  updated_at: Date;
  is_current: boolean;
  course_title: string | null;
  lesson_title: string | null;
  lesson_position: number | null;
}

export async function loadStatusRows(db: LecternDb, filter: { course?: string } = {}): Promise<StatusRow[]> {
  return withDatabase('reading upload status', async () => {
    let query = db
      .selectFrom('asset_versions as av')
      .leftJoin('courses as c', 'c.slug', 'av.course_slug')
      .leftJoin('lessons as l', (join) => join.onRef('l.course_id', '=', 'c.id').onRef('l.slug', '=', 'av.lesson_slug'))
      .leftJoin('assets as a', 'a.id', 'av.asset_id')
      .select([
        'av.id',
        'av.source_key',
        'av.course_slug',
        'av.lesson_slug',
        'av.file_name',
        'av.kind',
        'av.format',
        'av.status',
        'av.reasons',
        'av.warnings',
        'av.url',
        'av.execution_id',
        'av.failed_state',
        'av.error',
        'av.received_at',
        'av.finished_at',
        'av.duration_ms',
        sql<Date>`av.updated_at`.as('updated_at'),
        sql<boolean>`coalesce(a.current_version_id = av.id, false)`.as('is_current'),
        'c.title as course_title',
        'l.title as lesson_title',
        'l.position as lesson_position',
      ])
      .orderBy('av.course_slug')
      .orderBy('av.lesson_slug')
      .orderBy('av.file_name')
      .orderBy('av.received_at', 'desc');
    if (filter.course) query = query.where('av.course_slug', '=', filter.course);
    return (await query.execute()) as StatusRow[];
  });
}
