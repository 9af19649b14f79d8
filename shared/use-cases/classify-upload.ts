/**
 * ClassifyUpload: is this object an upload we can process, and of which kind? Checks the key
 * against the upload contract, that the object still exists as this version, the size limit for
 * its kind, and that its first bytes match its extension. Records the upload as `processing`.
 */
import { assetVersionId, isSuperseded } from '../contract/asset-version.js';
import { markProcessing } from '../db/asset-repository.js';
import type { Deps } from '../runtime/deps.js';

/** What classify upload needs (its Lambda builds just this). */
export type ClassifyUploadDeps = Pick<Deps, 'config' | 'db' | 'metrics' | 'now' | 'uploads'>;
import { LimitExceededError, SourceMissingError, UnsupportedUploadError, ValidationError } from '../contract/errors.js';
import type { ClassifiedUpload, ClassifyInput } from '../contract/pipeline.js';
import { writeReport } from '../contract/report.js';
import { SNIFF_BYTES, contentMismatch } from '../contract/sniff.js';
import { parseUploadKey, type UploadKind } from '../contract/upload-key.js';

/** Kinds with a branch in the state machine today. */
export const SUPPORTED_KINDS: readonly UploadKind[] = ['pdf', 'quiz', 'video', 'audio', 'captions', 'image', 'course'];

/** Messages for kinds that are recognised but have no branch (none today; kept for new kinds). */
const NOT_YET: Partial<Record<UploadKind, string>> = {};

export async function classifyUpload(input: ClassifyInput, deps: ClassifyUploadDeps): Promise<ClassifiedUpload> {
  const { source } = input;
  const id = assetVersionId(source);
  const now = deps.now();
  const receivedAt = source.eventTime ? new Date(source.eventTime) : now;

  const key = parseUploadKey(source.key);
  const lesson = key.kind === 'course' ? undefined : key.lesson;
  const stem = key.kind === 'course' ? 'course' : key.stem;
  const upload: ClassifiedUpload = {
    assetVersionId: id,
    source,
    kind: key.kind,
    course: key.course,
    ...(lesson ? { lesson } : {}),
    fileName: key.fileName,
    stem,
    receivedAt: receivedAt.toISOString(),
  };

  if (!SUPPORTED_KINDS.includes(key.kind)) {
    throw new UnsupportedUploadError(NOT_YET[key.kind] ?? `Uploads of kind ${key.kind} are not supported yet.`, { code: 'upload.kind-not-supported-yet' });
  }

  const head = await deps.uploads.head(source.key);
  if (!head) {
    throw new SourceMissingError(`"${source.key}" no longer exists in the upload bucket (deleted before it was processed). Upload it again.`);
  }
  if (isSuperseded(source, head)) {
    throw new SourceMissingError(
      `"${source.key}" was replaced by a newer upload before this one was processed; the newer upload is processed on its own.`,
      { code: 'upload.superseded' },
    );
  }
  const limit = deps.config.limits.maxBytes[key.kind];
  if (head.size > limit) {
    throw new LimitExceededError(
      `"${key.fileName}" is ${formatBytes(head.size)}; ${key.kind} uploads may be at most ${formatBytes(limit)}. Reduce its size (e.g. compress images) and upload it again.`,
      { code: 'upload.too-large' },
    );
  }
  if (head.size === 0) {
    throw new ValidationError(`"${key.fileName}" is empty (0 bytes). Upload the file again; the first upload may have been interrupted.`, { code: 'upload.empty' });
  }
  const first = (await deps.uploads.getRange(source.key, 0, SNIFF_BYTES - 1)) ?? new Uint8Array();
  const mismatch = contentMismatch(key.kind, first);
  if (mismatch) {
    throw new UnsupportedUploadError(
      `"${key.fileName}" is named like ${/^[aeiou]/.test(key.kind) ? 'an' : 'a'} ${key.kind} file, but ${mismatch}. Upload the right file, or give it the extension that matches its content.`,
      { code: 'upload.content-mismatch' },
    );
  }

  deps.metrics.add('UploadsReceived', 'Count', 1, { Kind: key.kind });
  await markProcessing(
    deps.db,
    { id, source, receivedAt, courseSlug: key.course, ...(lesson ? { lessonSlug: lesson } : {}), fileName: key.fileName, kind: key.kind, executionId: input.executionId },
    now,
  );
  await writeReport(deps.uploads, {
    key: source.key,
    assetVersionId: id,
    status: 'processing',
    kind: key.kind,
    reasons: [],
    warnings: [],
    receivedAt: upload.receivedAt,
    executionId: input.executionId,
  });
  return upload;
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
