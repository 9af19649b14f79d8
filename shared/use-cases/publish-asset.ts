/**
 * PublishAsset: copy the validated outputs to immutable, content-addressed keys in the published
 * bucket, then point the lesson manifest at them with a conditional write (`update-manifest.ts`: a
 * lost race is retried there, then surfaces as `ConcurrentModificationError` for the state machine
 * to retry; in the local stack, the updates of one lesson are batched into shared writes).
 */
import { contentVersion, sha256Hex } from '../contract/asset-version.js';
import type { Deps } from '../runtime/deps.js';

/** What publish asset needs (its Lambda builds just this; the local stack adds its manifest batcher). */
export type PublishAssetDeps = Pick<Deps, 'config' | 'published' | 'uploads'> & Partial<Pick<Deps, 'manifestBatcher'>>;
import { SourceMissingError, ConfigError, InternalError } from '../contract/errors.js';
import { IMMUTABLE_CACHE_CONTROL, manifestKey, type ManifestEntry } from '../contract/manifest.js';
import type { Artifact, InPlaceArtifact, Published, PublishedOutput, PublishInput } from '../contract/pipeline.js';
import { applyLessonAccess } from './apply-lesson-access.js';
import { updateManifest } from './update-manifest.js';

export async function publishAsset(input: PublishInput, deps: PublishAssetDeps): Promise<Published> {
  const { upload, validation } = input;
  if (!upload.lesson || !(validation.version || validation.contentSha256)) throw new InternalError('PublishAsset needs a lesson upload that passed validation.');
  // Videos are addressed by their asset version (docs/video.md); everything else by its SHA-256.
  const version = validation.version ?? contentVersion(validation.contentSha256 as string);
  const prefix = `courses/${upload.course}/lessons/${upload.lesson}/${upload.fileName}/${version}/`;

  const outputs: PublishedOutput[] = [];
  for (const artifact of validation.artifacts) {
    const key = `${prefix}${artifact.name}`;
    if (isInPlace(artifact)) {
      // Written in place by the transcoder and checked by VerifyOutputs: nothing to copy.
      if (artifact.from.key !== key || !(await deps.published.head(key))) {
        throw new InternalError(`The transcoded output ${artifact.from.key} is not at ${key}; VerifyOutputs should have caught this.`);
      }
      outputs.push({ name: artifact.name, key, url: publicUrl(cdnBaseUrl(deps), key), contentType: artifact.contentType, size: artifact.size });
      continue;
    }
    const existing = await deps.published.head(key);
    if (!existing || existing.size !== artifact.size) {
      const bytes = await deps.uploads.get(artifact.from.key);
      if (!bytes || sha256Hex(bytes) !== artifact.sha256) {
        throw new SourceMissingError(
          `"${artifact.from.key}" changed or disappeared after it was validated; the newer upload is processed on its own.`,
          { code: 'upload.superseded' },
        );
      }
      await deps.published.put(key, bytes, { contentType: artifact.contentType, cacheControl: IMMUTABLE_CACHE_CONTROL });
    }
    outputs.push({ name: artifact.name, key, url: publicUrl(cdnBaseUrl(deps), key), contentType: artifact.contentType, size: artifact.size, sha256: artifact.sha256 });
  }

  const main = outputs[0];
  if (!main) throw new InternalError('Validation produced nothing to publish.');
  const entry: ManifestEntry = {
    kind: upload.kind,
    ...(validation.format ? { format: validation.format } : {}),
    version,
    assetVersionId: upload.assetVersionId,
    sourceEventTime: new Date(upload.source.eventTime ?? upload.receivedAt).toISOString(),
    url: main.url,
    outputs: outputs.map(({ name, url, contentType, size }) => ({ name, url, contentType, size })),
    metadata: validation.metadata,
  };
  const { course, lesson, fileName } = upload;
  const mKey = manifestKey(course, lesson);
  const target = { key: mKey, course, lesson };
  // A public lesson of a signed stage is also served from its copies under public/ (docs/access.md).
  // Only the entries this update changed are mirrored: its cost is its own, not the lesson's.
  const access = (changedPrefixes: string[]) => applyLessonAccess(course, lesson, deps, undefined, changedPrefixes);
  const current = deps.manifestBatcher
    ? await deps.manifestBatcher.submit(deps, target, { fileName, entry }, access)
    : await (async () => {
        const update = await updateManifest(deps, target, [{ fileName, entry }]);
        return { current: update.current[0] as boolean, accessPaths: await access(update.changedPrefixes) };
      })();
  return {
    version,
    prefix,
    url: main.url,
    outputs,
    manifestKey: mKey,
    invalidationPaths: [...(current.current ? [`/${mKey}`] : []), ...current.accessPaths],
  };
}

function isInPlace(artifact: Artifact): artifact is InPlaceArtifact {
  return artifact.from.store === 'published';
}

export function publicUrl(baseUrl: string, key: string): string {
  return `${baseUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function cdnBaseUrl(deps: PublishAssetDeps): string {
  if (!deps.config.cdnBaseUrl) throw new ConfigError('CDN_BASE_URL is not configured: published URLs cannot be built.');
  return deps.config.cdnBaseUrl.replace(/\/+$/, '');
}
