import { isSuperseded, sha256Hex } from '../contract/asset-version.js';
import type { Deps } from '../runtime/deps.js';

/** What read source needs (its Lambda builds just this). */
export type ReadSourceDeps = Pick<Deps, 'uploads'>;
import { SourceMissingError } from '../contract/errors.js';
import type { ClassifiedUpload } from '../contract/pipeline.js';

/** The upload's bytes and their SHA-256; the object must still be the version being processed. */
export async function readSource(deps: ReadSourceDeps, upload: ClassifiedUpload): Promise<{ bytes: Uint8Array; sha256: string }> {
  const [head, bytes] = await Promise.all([deps.uploads.head(upload.source.key), deps.uploads.get(upload.source.key)]);
  if (!head || !bytes) {
    throw new SourceMissingError(`"${upload.source.key}" no longer exists in the upload bucket. Upload it again.`);
  }
  if (isSuperseded(upload.source, head)) {
    throw new SourceMissingError(`"${upload.source.key}" was replaced by a newer upload while this one was processed; the newer one is processed on its own.`, {
      code: 'upload.superseded',
    });
  }
  return { bytes, sha256: sha256Hex(bytes) };
}

/** Where a validator stages derived files for PublishAsset: private, never served. */
export function workKey(assetVersionId: string, name: string): string {
  return `_work/${assetVersionId}/${name}`;
}
