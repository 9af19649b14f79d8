/**
 * Caption coverage, read from the database: every current published video or audio, with whether
 * the educator uploaded captions for it (a current captions asset of the lesson naming it as its
 * video) and whether its automatic captions were made (a COMPLETED transcription job of its
 * current version). Single statement.
 */
import { sql } from 'kysely';
import { withDatabase, type LecternDb } from './database.js';

export interface CaptionCoverageRow {
  course_slug: string;
  lesson_slug: string;
  file_name: string;
  published_at: Date | string | null;
  reviewed: boolean;
  automatic: boolean;
}

export async function loadCaptionCoverage(db: LecternDb, filter: { course?: string } = {}): Promise<CaptionCoverageRow[]> {
  return withDatabase('reading caption coverage', async () => {
    const result = await sql<CaptionCoverageRow>`
      select v.course_slug, v.lesson_slug, v.file_name, v.finished_at as published_at,
        exists (
          select 1 from assets ca
          join asset_versions cv on cv.id = ca.current_version_id
          where ca.lesson_id = a.lesson_id and ca.kind = 'captions' and cv.status = 'published'
            and cv.metadata->>'videoStem' = a.stem
        ) as reviewed,
        exists (
          select 1 from transcription_jobs tj where tj.asset_version_id = v.id and tj.status = 'COMPLETED'
        ) as automatic
      from assets a
      join asset_versions v on v.id = a.current_version_id
      where a.kind in ('video', 'audio') and v.status = 'published'
        ${filter.course ? sql`and v.course_slug = ${filter.course}` : sql``}
      order by v.course_slug, v.lesson_slug, v.file_name`.execute(db);
    return result.rows;
  });
}
