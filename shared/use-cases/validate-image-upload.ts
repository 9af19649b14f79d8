/**
 * ValidateImage: an image uploaded to a lesson (png, jpg, gif, webp, svg) is recognised by its
 * bytes, size-limited and, if SVG, refused when it scripts and sanitised otherwise; then staged as
 * `<stem>.<ext of what it is>` for PublishAsset. Quizzes of the lesson that show it publish their
 * own checked copy (see ValidateQuiz). Content problems are a verdict, not an error.
 */
import { sha256Hex } from '../contract/asset-version.js';
import type { Deps } from '../runtime/deps.js';
import { validateImage } from '../image/validate-image.js';
import type { Validation, ValidateInput } from '../contract/pipeline.js';
import { readSource, workKey } from './read-source.js';

/** What validate image upload needs (its Lambda builds just this). */
export type ValidateImageUploadDeps = Pick<Deps, 'config' | 'uploads'>;

export async function validateImageUpload(input: ValidateInput, deps: ValidateImageUploadDeps): Promise<Validation> {
  const { upload } = input;
  const { bytes, sha256 } = await readSource(deps, upload);
  const result = validateImage({ bytes, fileName: upload.fileName, maxBytes: deps.config.limits.maxBytes.image });
  if (!result.ok) return { accepted: false, reasons: result.reasons, warnings: [], metadata: {}, contentSha256: sha256, artifacts: [] };
  const name = `${upload.stem}.${result.extension}`;
  const key = workKey(upload.assetVersionId, name);
  await deps.uploads.put(key, result.bytes, { contentType: result.contentType });
  return {
    accepted: true,
    format: result.type,
    reasons: [],
    warnings: result.warnings,
    metadata: {
      contentType: result.contentType,
      ...(result.width !== undefined ? { width: result.width } : {}),
      ...(result.height !== undefined ? { height: result.height } : {}),
    },
    contentSha256: sha256,
    artifacts: [{ name, contentType: result.contentType, sha256: sha256Hex(result.bytes), size: result.bytes.length, from: { store: 'uploads', key } }],
  };
}
