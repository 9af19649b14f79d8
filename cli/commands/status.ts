/** `lectern status`: what is published, in flight, rejected (and why) or failed (and how to replay). */
import { openStateFolder } from '../../local/state-folder.js';
import { createDatabase } from '../../shared/db/open-database.js';
import { loadStatusRows } from '../../shared/db/status-repository.js';
import type { LessonReadiness } from '../../shared/schedule/readiness.js';
import type { LocalWork } from '../../local/local-api.js';
import { buildStatusReport, type StatusOptions, type StatusReport, type UnrecordedUpload, type UploadStatus } from '../../shared/contract/status-report.js';
import { readinessReport } from '../../shared/use-cases/readiness.js';
import { captionCoverage } from '../../shared/use-cases/caption-coverage.js';
import { formatCaptionCoverage, type CaptionCoverage } from '../../shared/captions/caption-coverage.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { chooseTarget, COMMON_OPTIONS, parse, TARGET_OPTIONS, UsageError } from '../args.js';
import { formatReason } from '../format.js';
import { formatReadiness } from '../format-readiness.js';

export const STATUS_USAGE = `lectern status (--local | --stage <stage>) [--course <course>] [--json] [--state-dir <dir>]

  Scheduled classes first, next first: ready, at-risk (what is missing and why) or missed.
  Then per course, lesson and asset: the current published version and URL, uploads in flight,
  rejected uploads with their reasons, failed ones with the error and the replay command.
  Caption coverage per course: videos with reviewed captions, only automatic ones, or none.
  --json: the report with a "readiness" array (course, lesson, scheduledAt, state, missing) and
  "captions" (per course: videos, reviewed, automaticOnly, none, uncaptioned; overdue).
  --stage reads the stage's database from DATABASE_URL (or --database-url).`;

export async function statusCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, { ...COMMON_OPTIONS, ...TARGET_OPTIONS, course: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (values.help) {
    out.write(`${STATUS_USAGE}\n`);
    return 0;
  }
  chooseTarget(values);
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (values.stage && !url) throw new UsageError(`--stage ${values.stage} needs the stage's database: set DATABASE_URL or pass --database-url.`);
  // Locally, the state folder's database: this process's, or that of the command that has it open.
  const folder = values.local ? await openStateFolder({ command: 'lectern status', stateDir: values['state-dir'], ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) }) : undefined;
  const db = folder?.work.db ?? (await createDatabase({ url: url! }));
  try {
    const rows = await loadStatusRows(db, values.course ? { course: values.course } : {});
    const target = values.local ? `--local${values['state-dir'] === '.lectern' ? '' : ` --state-dir ${values['state-dir']}`}` : `--stage ${values.stage}`;
    const now = new Date();
    const report = buildStatusReport(rows, {
      replayCommand: (row) => `lectern replay ${target} --execution ${row.execution_id ?? row.id}`,
      now,
      ...(folder ? await localProblems(folder.work, target) : { stuckAfter: { ms: STAGE_STUCK_AFTER_MS, fix: `if its execution has ended, the scheduled reconcile records it as failed within 15 min; then lectern replay ${target}` } }),
    });
    // Classes that have not started, and those that started within the last week.
    const readiness = await readinessReport({ db, now: () => now }, { from: new Date(now.getTime() - 7 * 86_400_000), ...(values.course ? { course: values.course } : {}) });
    // Caption coverage per course: reviewed, automatic only, none (LECTERN_CAPTIONS_GRACE_HOURS: when "none" is overdue).
    const captions = await captionCoverage({ db, now: () => now, config: parseConfig(process.env) }, values.course ? { course: values.course } : {});
    out.write(values.json ? `${JSON.stringify({ ...report, readiness, captions }, null, 2)}\n` : `${formatStatus(report, readiness, now, captions)}\n`);
    return 0;
  } finally {
    await (folder ? folder.close() : db.destroy());
  }
}

/** On AWS the reconcile function looks at records unchanged for 30 min; status says so from then on. */
const STAGE_STUCK_AFTER_MS = 30 * 60_000;

/**
 * Locally every execution is known: what reconcile would find, without changing anything — uploads
 * whose execution ended without updating their record (stuck however recent) and files never processed.
 */
async function localProblems(work: LocalWork, target: string): Promise<Pick<StatusOptions, 'stuck' | 'unrecorded'>> {
  const findings = await work.reconcile({ stuckAfterMs: 0, dryRun: true, unprocessedUploads: true });
  const stuck = new Map<string, { detail: string; fix: string }>();
  const unrecorded: UnrecordedUpload[] = [];
  for (const f of findings) {
    if (f.problem === 'never-processed') unrecorded.push({ key: f.key, assetVersionId: f.assetVersionId, since: f.since ?? '', detail: f.detail });
    else if (f.problem !== 'no-record') stuck.set(f.assetVersionId, { detail: f.detail, fix: `run lectern reconcile ${target}, then lectern replay ${target}` });
  }
  return { stuck, unrecorded };
}

function formatStatus(report: StatusReport, readiness: LessonReadiness[], now: Date, captions: CaptionCoverage): string {
  const s = report.summary;
  const stuckCount = [...report.courses.flatMap((c) => [...c.uploads, ...c.lessons.flatMap((l) => l.assets.flatMap((a) => a.uploads))]), ...report.unplaced].filter((u) => u.stuck).length;
  const lines = [
    `lectern: ${s.published} published, ${s.processing} processing${stuckCount > 0 ? ` (${stuckCount} stuck)` : ''}, ${s.rejected} rejected, ${s.failed} failed${report.unrecorded.length > 0 ? `, ${report.unrecorded.length} never processed` : ''}`,
  ];
  if (readiness.length > 0) lines.push(formatReadiness(readiness, now));
  const upload = (u: UploadStatus, indent: string) => {
    lines.push(`${indent}${u.status}${u.progress !== undefined ? ` (${u.progress}%)` : ''}${u.stuck ? ` — stuck for ${u.stuck.minutes} min` : ''}  ${u.assetVersionId}  received ${u.receivedAt}`);
    if (u.stuck) lines.push(`${indent}    ${u.stuck.detail} — ${u.stuck.fix}`);
    for (const r of u.reasons) lines.push(`${indent}    ${formatReason(r)}`);
    if (u.replay) lines.push(`${indent}    replay: ${u.replay}`);
  };
  for (const course of report.courses) {
    lines.push(`${course.course}${course.title ? ` — ${course.title}` : ''}`);
    for (const u of course.uploads) upload(u, '  course.yaml: ');
    for (const lesson of course.lessons) {
      lines.push(`  ${lesson.lesson}${lesson.title ? ` — ${lesson.title}` : ''}`);
      for (const asset of lesson.assets) {
        lines.push(`    ${asset.fileName}${asset.kind ? ` (${asset.kind})` : ''}${asset.current?.url ? `  → ${asset.current.url}` : '  (nothing published)'}`);
        for (const u of asset.uploads.filter((u) => u.status !== 'published')) upload(u, '      ');
      }
    }
  }
  lines.push(...formatCaptionCoverage(captions));
  if (report.unplaced.length > 0) {
    lines.push('uploads outside the course layout:');
    for (const u of report.unplaced) {
      lines.push(`  ${u.key}`);
      upload(u, '    ');
    }
  }
  if (report.unrecorded.length > 0) {
    lines.push('never processed (in the upload folder, no record):');
    for (const u of report.unrecorded) lines.push(`  ${u.key}  since ${u.since}: ${u.detail}`);
  }
  return lines.join('\n');
}
