/** RecordPublished: one transaction for the course records, then the educator's report. */
import { recordPublished as savePublished } from '../db/asset-repository.js';
import type { Deps } from '../runtime/deps.js';

/** What record published needs (its Lambda builds just this). */
export type RecordPublishedDeps = Pick<Deps, 'db' | 'metrics' | 'notifier' | 'now' | 'uploads'>;
import type { RecordInput, RecordResult } from '../contract/pipeline.js';
import { writeReport } from '../contract/report.js';
import { InternalError } from '../contract/errors.js';

export async function recordPublished(input: RecordInput, deps: RecordPublishedDeps): Promise<RecordResult> {
  const { upload, validation, published } = input;
  if (!upload.lesson || !(validation.contentSha256 || validation.version)) throw new InternalError('RecordPublished needs a published lesson upload.');
  const finishedAt = deps.now();
  const receivedAt = new Date(upload.receivedAt);
  await savePublished(deps.db, {
    version: {
      id: upload.assetVersionId,
      source: upload.source,
      receivedAt,
      courseSlug: upload.course,
      lessonSlug: upload.lesson,
      fileName: upload.fileName,
      stem: upload.stem,
      kind: upload.kind,
      executionId: input.executionId,
    },
    ...(validation.format ? { format: validation.format } : {}),
    warnings: validation.warnings,
    metadata: validation.metadata,
    outputs: published.outputs,
    ...(validation.contentSha256 ? { contentSha256: validation.contentSha256 } : {}),
    url: published.url,
    finishedAt,
  });
  const reportKey = await writeReport(deps.uploads, {
    key: upload.source.key,
    assetVersionId: upload.assetVersionId,
    status: 'published',
    kind: upload.kind,
    ...(validation.format ? { format: validation.format } : {}),
    reasons: [],
    warnings: validation.warnings,
    url: published.url,
    outputs: published.outputs.map(({ name, url }) => ({ name, url })),
    metadata: validation.metadata,
    receivedAt: upload.receivedAt,
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.max(0, finishedAt.getTime() - receivedAt.getTime()),
    executionId: input.executionId,
  });
  deps.metrics.add('UploadsPublished', 'Count', 1, { Kind: upload.kind });
  const latency = Math.max(0, finishedAt.getTime() - receivedAt.getTime());
  deps.metrics.add('UploadToPublishedLatency', 'Milliseconds', latency);
  // The content-delivery latency per kind, for the readiness view of the dashboard.
  deps.metrics.add('ContentDeliveryLatency', 'Milliseconds', latency, { Kind: upload.kind });
  await deps.notifier.notify({
    status: 'published',
    key: upload.source.key,
    assetVersionId: upload.assetVersionId,
    course: upload.course,
    lesson: upload.lesson,
    kind: upload.kind,
    url: published.url,
    reasons: [],
  });
  return { assetVersionId: upload.assetVersionId, status: 'published', reportKey, durationMs: Math.max(0, finishedAt.getTime() - receivedAt.getTime()) };
}
