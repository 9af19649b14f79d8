/**
 * Caption coverage of a stage (or one course): how many published videos have reviewed captions,
 * only automatic ones, or none, and which have had none for longer than
 * `LECTERN_CAPTIONS_GRACE_HOURS`. `lectern status` shows it; the readiness sweep publishes it as
 * metrics (`VideosWithoutCaptions` drives the videos-without-captions alarm).
 */
import { buildCaptionCoverage, type CaptionCoverage } from '../captions/caption-coverage.js';
import { loadCaptionCoverage } from '../db/caption-coverage-repository.js';
import type { Deps } from '../runtime/deps.js';

export type CaptionCoverageDeps = Pick<Deps, 'db' | 'now'> & { config: Pick<Deps['config'], 'autoCaptions'> };

export async function captionCoverage(deps: CaptionCoverageDeps, filter: { course?: string } = {}): Promise<CaptionCoverage> {
  return buildCaptionCoverage(await loadCaptionCoverage(deps.db, filter), deps.now(), deps.config.autoCaptions.graceHours * 3_600_000);
}

/** The coverage as metrics of the stage: videos without captions past the grace period, and each kind of coverage. */
export async function recordCaptionCoverage(deps: CaptionCoverageDeps & Pick<Deps, 'metrics'>): Promise<CaptionCoverage> {
  const coverage = await captionCoverage(deps);
  const sum = (pick: (c: CaptionCoverage['courses'][number]) => number) => coverage.courses.reduce((n, c) => n + pick(c), 0);
  deps.metrics.add('VideosWithoutCaptions', 'Count', coverage.overdue);
  deps.metrics.add('VideosWithReviewedCaptions', 'Count', sum((c) => c.reviewed));
  deps.metrics.add('VideosWithAutomaticCaptions', 'Count', sum((c) => c.automaticOnly));
  return coverage;
}
