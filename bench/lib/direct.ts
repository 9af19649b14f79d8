/**
 * The floor for the pipeline benchmark: the very use-case functions the state machine's tasks
 * call (ClassifyUpload → ValidatePdf/ValidateQuiz → PublishAsset → InvalidateCdn → RecordPublished),
 * called one after the other in this process with the same deps, with no orchestrator, no Lambda
 * boundary and no execution records. What the local stack adds on top of this is its overhead.
 */
import { createHash } from 'node:crypto';
import { assetVersionId, type SourceObject } from '../../shared/contract/asset-version.js';
import { classifyUpload } from '../../shared/use-cases/classify-upload.js';
import { invalidateCdn } from '../../shared/use-cases/invalidate-cdn.js';
import { publishAsset } from '../../shared/use-cases/publish-asset.js';
import { recordPublished } from '../../shared/use-cases/record-published.js';
import { validatePdfUpload } from '../../shared/use-cases/validate-pdf-upload.js';
import { validateQuizUpload } from '../../shared/use-cases/validate-quiz-upload.js';
import type { LocalStack } from '../../local/local-stack.js';

/** Puts the bytes in the upload bucket as `stack.upload` does, then runs the use-cases directly. */
export async function publishDirectly(stack: LocalStack, key: string, bytes: Uint8Array): Promise<'published' | 'rejected'> {
  const { deps } = stack;
  // exactly what `stack.upload` does before it starts the execution
  const etag = createHash('md5').update(bytes).digest('hex');
  const existing = await deps.uploads.head(key).catch(() => undefined);
  const head = existing?.etag === etag ? existing : { ...(await deps.uploads.put(key, bytes)), size: bytes.byteLength, lastModified: new Date() };
  const source: SourceObject = { bucket: deps.uploads.bucket, key, etag: head.etag, size: head.size, eventTime: head.lastModified.toISOString() };
  const executionName = assetVersionId(source);
  const ref = { executionId: stack.orchestrator.executionArn(executionName), executionName };
  const upload = await classifyUpload({ source, ...ref }, deps);
  const validation = upload.kind === 'pdf' ? await validatePdfUpload({ upload, ...ref }, deps) : await validateQuizUpload({ upload, ...ref }, deps);
  if (!validation.accepted) return 'rejected';
  const published = await publishAsset({ upload, validation, ...ref }, deps);
  await invalidateCdn({ paths: published.invalidationPaths, ...ref }, deps);
  await recordPublished({ upload, validation, published, ...ref }, deps);
  return 'published';
}
