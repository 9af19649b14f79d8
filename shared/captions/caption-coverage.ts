/**
 * How many published videos have captions, per course: reviewed (a caption file the educator
 * uploaded), only automatic (speech recognition, not reviewed), or none — and which have had none
 * for longer than the grace period (the `videos-without-captions` alarm). Pure.
 */
import type { CaptionCoverageRow } from '../db/caption-coverage-repository.js';

export interface UncaptionedVideo {
  lesson: string;
  fileName: string;
  publishedAt?: string;
  /** No captions for longer than the grace period. */
  overdue: boolean;
}

export interface CourseCaptionCoverage {
  course: string;
  videos: number;
  reviewed: number;
  automaticOnly: number;
  none: number;
  uncaptioned: UncaptionedVideo[];
}

export interface CaptionCoverage {
  courses: CourseCaptionCoverage[];
  /** Published videos without any captions for longer than the grace period, over all courses. */
  overdue: number;
}

export function buildCaptionCoverage(rows: readonly CaptionCoverageRow[], now: Date, graceMs: number): CaptionCoverage {
  const courses = new Map<string, CourseCaptionCoverage>();
  let overdue = 0;
  for (const row of rows) {
    let course = courses.get(row.course_slug);
    if (!course) courses.set(row.course_slug, (course = { course: row.course_slug, videos: 0, reviewed: 0, automaticOnly: 0, none: 0, uncaptioned: [] }));
    course.videos++;
    if (row.reviewed) course.reviewed++;
    else if (row.automatic) course.automaticOnly++;
    else {
      course.none++;
      const publishedAt = row.published_at ? new Date(row.published_at) : undefined;
      const late = publishedAt !== undefined && now.getTime() - publishedAt.getTime() > graceMs;
      if (late) overdue++;
      course.uncaptioned.push({ lesson: row.lesson_slug, fileName: row.file_name, ...(publishedAt ? { publishedAt: publishedAt.toISOString() } : {}), overdue: late });
    }
  }
  return { courses: [...courses.values()], overdue };
}

/** `bio-101: 12 videos — 7 reviewed captions, 4 automatic only, 1 none`. */
export function formatCaptionCoverage(coverage: CaptionCoverage): string[] {
  const lines: string[] = [];
  for (const c of coverage.courses) {
    lines.push(`captions ${c.course}: ${c.videos} video(s) — ${c.reviewed} reviewed, ${c.automaticOnly} automatic only, ${c.none} none`);
    for (const v of c.uncaptioned) lines.push(`  no captions: ${v.lesson}/${v.fileName}${v.publishedAt ? ` (published ${v.publishedAt}${v.overdue ? ', overdue' : ''})` : ''}`);
  }
  return lines;
}
