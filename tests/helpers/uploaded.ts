/**
 * An upload as a Validate* step receives it: the bytes put into the upload bucket under
 * `courses/<course>/lessons/<lesson>/<fileName>`, and the state machine's input naming that object
 * version as ClassifyUpload would (kind, stem and the rest read from the key by the real parser).
 */
import { assetVersionId } from '../../shared/contract/asset-version.js';
import type { ValidateInput } from '../../shared/contract/pipeline.js';
import { parseUploadKey } from '../../shared/contract/upload-key.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';

export interface UploadedOptions {
  course?: string;
  lesson?: string;
  /** The S3 event time (also when it was received). */
  eventTime?: string;
}

export async function uploaded(uploads: ObjectStore, fileName: string, body: Uint8Array | string, { course = 'bio', lesson = 'cells', eventTime = '2026-03-01T00:00:00.000Z' }: UploadedOptions = {}): Promise<ValidateInput> {
  const key = parseUploadKey(`courses/${course}/lessons/${lesson}/${fileName}`);
  if (key.kind === 'course') throw new Error('uploaded() makes lesson files; course.yaml goes through UpsertCourse');
  const { etag } = await uploads.put(key.key, body);
  const source = { bucket: uploads.bucket, key: key.key, etag, size: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength, eventTime };
  const id = assetVersionId(source);
  return {
    executionId: `exec-${id}`,
    executionName: id,
    upload: { assetVersionId: id, source, kind: key.kind, course, lesson, fileName, stem: key.stem, receivedAt: eventTime },
  };
}
