/**
 * PublishAsset: copy the validated outputs to immutable, content-addressed keys in the published
 * bucket, then point the lesson manifest at them with a conditional write (a lost race is retried
 * here, then surfaces as `ConcurrentModificationError` for the state machine to retry).
 */
import { contentVersion, sha256Hex } from '../asset-version.js';
import type { Deps } from '../deps.js';

/** What publish asset needs (its Lambda builds just this; the local stack adds its manifest queue). */
export type PublishAssetDeps = Pick<Deps, 'config' | 'published' | 'uploads'> & Partial<Pick<Deps, 'manifestQueue'>>;
import { ConcurrentModificationError, SourceMissingError } from '../errors.js';
import { applyToManifest, emptyManifest, IMMUTABLE_CACHE_CONTROL, MANIFEST_CACHE_CONTROL, manifestKey, parseManifest, type ManifestEntry } from '../manifest.js';
import type { Artifact, InPlaceArtifact, Published, PublishedOutput, PublishInput } from '../pipeline.js';
import { applyLessonAccess } from './apply-lesson-access.js';
import { PreconditionFailedError } from '../ports/object-store.js';
import { captionedStem, syncVideoCaptions } from './attach-captions.js';

const MANIFEST_ATTEMPTS = 8;

export async function publishAsset(input: PublishInput, deps: PublishAssetDeps): Promise<Published> {
  const { upload, validation } = input;
  if (!upload.lesson || !(validation.version || validation.contentSha256)) throw new Error('PublishAsset needs a lesson upload that passed validation.');
  // Videos are addressed by their asset version (docs/video.md); everything else by its SHA-256.
  const version = validation.version ?? contentVersion(validation.contentSha256 as string);
  const prefix = `courses/${upload.course}/lessons/${upload.lesson}/${upload.fileName}/${version}/`;

  const outputs: PublishedOutput[] = [];
  for (const artifact of validation.artifacts) {
    const key = `${prefix}${artifact.name}`;
    if (isInPlace(artifact)) {
      // Written in place by the transcoder and checked by VerifyOutputs: nothing to copy.
      if (artifact.from.key !== key || !(await deps.published.head(key))) {
        throw new Error(`The transcoded output ${artifact.from.key} is not at ${key}; VerifyOutputs should have caught this.`);
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
  if (!main) throw new Error('Validation produced nothing to publish.');
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
  const update = async () => {
    const written = await updateManifest(deps, mKey, course, lesson, fileName, entry);
    // A public lesson of a signed stage is also served from its copies under public/ (docs/access.md).
    return { written, accessPaths: await applyLessonAccess(course, lesson, deps) };
  };
  const current = await (deps.manifestQueue ? deps.manifestQueue.run(`${deps.published.bucket}\n${mKey}`, update) : update());
  return {
    version,
    prefix,
    url: main.url,
    outputs,
    manifestKey: mKey,
    invalidationPaths: [...(current.written ? [`/${mKey}`] : []), ...current.accessPaths],
  };
}

/** Returns true when the manifest now names this version (written now or before), false when a newer one is current. */
async function updateManifest(deps: PublishAssetDeps, key: string, course: string, lesson: string, fileName: string, entry: ManifestEntry): Promise<boolean> {
  for (let attempt = 0; attempt < MANIFEST_ATTEMPTS; attempt++) {
    const head = await deps.published.head(key);
    const text = head ? await deps.published.get(key) : undefined;
    const manifest = text ? parseManifest(new TextDecoder().decode(text), key) : emptyManifest(course, lesson);
    const decision = applyToManifest(manifest, fileName, entry);
    if (decision.action === 'unchanged') return true;
    if (decision.action === 'superseded') return false;
    // Captions join the current video of their name whichever arrives last (a new master, no transcode).
    const stem = captionedStem(fileName, entry);
    const next = stem === undefined ? decision.manifest : await syncVideoCaptions(deps, decision.manifest, stem);
    try {
      await deps.published.put(key, `${JSON.stringify(next, null, 2)}\n`, {
        contentType: 'application/json',
        cacheControl: MANIFEST_CACHE_CONTROL,
        ...(head ? { ifMatch: head.etag } : { ifNoneMatch: '*' as const }),
      });
      return true;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
  throw new ConcurrentModificationError(`The lesson manifest ${key} kept changing during ${MANIFEST_ATTEMPTS} attempts to update it.`);
}

function isInPlace(artifact: Artifact): artifact is InPlaceArtifact {
  return artifact.from.store === 'published';
}

export function publicUrl(baseUrl: string, key: string): string {
  return `${baseUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function cdnBaseUrl(deps: PublishAssetDeps): string {
  if (!deps.config.cdnBaseUrl) throw new Error('CDN_BASE_URL is not configured: published URLs cannot be built.');
  return deps.config.cdnBaseUrl.replace(/\/+$/, '');
}
