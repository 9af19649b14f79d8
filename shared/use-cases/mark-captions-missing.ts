/**
 * MarkCaptionsMissing: automatic captions could not be made for a published video (the
 * transcriber is not installed locally, the job failed or was lost, no speech was recognised).
 * The video stays published: the upload's report and database row get a `captions.auto-failed`
 * warning saying why and what to do, the `AutoCaptionsFailed` metric counts it, and the execution
 * succeeds. A replay of the upload tries again (a new Transcribe job).
 */
import type { Deps } from '../runtime/deps.js';
import { withDatabase } from '../db/database.js';
import type { Reason } from '../contract/errors.js';
import { logger } from '../runtime/logger.js';
import type { ClassifiedUpload, ExecutionRef } from '../contract/pipeline.js';
import { reportKey } from '../contract/report.js';
import { parseCause } from './mark-ended.js';

export type MarkCaptionsMissingDeps = Pick<Deps, 'db' | 'metrics' | 'uploads'>;

export interface MarkCaptionsMissingInput extends ExecutionRef {
  upload: ClassifiedUpload;
  warnings?: Reason[];
  error?: { Error: string; Cause?: string };
}

export const AUTO_CAPTIONS_FAILED = 'captions.auto-failed';

/** Returns the upload's warnings with this one added (the state machine puts them back at `$.validation.warnings`). */
export async function markCaptionsMissing(input: MarkCaptionsMissingInput, deps: MarkCaptionsMissingDeps): Promise<Reason[]> {
  const { upload } = input;
  const { errorType, message } = parseCause(input.error);
  const why = message || errorType;
  const warning: Reason = {
    code: AUTO_CAPTIONS_FAILED,
    message: `${upload.fileName} is published without automatic captions: ${why.replace(/\s+$/, '')}${/[.!?]$/.test(why.trim()) ? '' : '.'} Upload a caption file (${upload.stem}.<language>.vtt), or replay the upload to try again.`,
  };
  const warnings = [...(input.warnings ?? []).filter((w) => w.code !== AUTO_CAPTIONS_FAILED), warning];
  await withDatabase('recording a captions warning', () =>
    deps.db.updateTable('asset_versions').set({ warnings: JSON.stringify(warnings) }).where('id', '=', upload.assetVersionId).execute(),
  );
  const key = reportKey(upload.source.key);
  const bytes = await deps.uploads.get(key);
  if (bytes) {
    const report = JSON.parse(new TextDecoder().decode(bytes)) as { warnings?: Reason[] };
    report.warnings = [...(report.warnings ?? []).filter((w) => w.code !== AUTO_CAPTIONS_FAILED), warning];
    await deps.uploads.put(key, `${JSON.stringify(report, null, 2)}\n`, { contentType: 'application/json', cacheControl: 'no-cache' });
  }
  deps.metrics.add('AutoCaptionsFailed', 'Count', 1);
  logger.warn('published without automatic captions', { errorType, reason: why });
  return warnings;
}
