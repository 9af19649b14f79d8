/**
 * A validated PDF-like upload as PublishAsset receives it: its bytes staged under `_work/` in the
 * upload bucket (where ValidatePdf leaves them) and the state machine's input naming them.
 */
import { sha256Hex } from '../../shared/contract/asset-version.js';
import type { PublishInput } from '../../shared/contract/pipeline.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';

export interface StagedPdf {
  course: string;
  lesson: string;
  fileName: string;
  /** Numbers the asset version (`av-<n>`) and the execution (`exec-<n>`). */
  n: number;
  /** The upload's S3 event time (also when it was received). */
  eventTime?: string;
}

export async function stagedPdf(uploads: ObjectStore, { course, lesson, fileName, n, eventTime = '2026-01-01T00:00:00.000Z' }: StagedPdf): Promise<PublishInput> {
  const bytes = new TextEncoder().encode(`%PDF-1.7 ${fileName}`);
  const sha256 = sha256Hex(bytes);
  const workKey = `_work/av-${n}/${fileName}`;
  await uploads.put(workKey, bytes);
  return {
    executionId: `exec-${n}`,
    executionName: `av-${n}`,
    upload: {
      assetVersionId: `av-${n}`,
      source: { bucket: 'uploads', key: `courses/${course}/lessons/${lesson}/${fileName}`, etag: sha256.slice(0, 32), size: bytes.byteLength, eventTime },
      kind: 'pdf',
      course,
      lesson,
      fileName,
      stem: fileName.replace(/\.pdf$/, ''),
      receivedAt: eventTime,
    },
    validation: { accepted: true, reasons: [], warnings: [], metadata: {}, contentSha256: sha256, artifacts: [{ name: fileName, contentType: 'application/pdf', sha256, size: bytes.byteLength, from: { store: 'uploads', key: workKey } }] },
  };
}
