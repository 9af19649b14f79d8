/**
 * ValidateCaptions: parse a WebVTT or SRT upload, sanitise it, convert it to WebVTT and stage
 * `<stem>.vtt` for PublishAsset. The metadata names the video the captions belong to (the lesson's
 * video with the same asset name) and their language. Content problems are a verdict, not an error.
 */
import { sha256Hex } from '../contract/asset-version.js';
import { captionTarget } from '../captions/caption-target.js';
import { validateCaptions } from '../captions/validate-captions.js';
import type { Deps } from '../runtime/deps.js';

/** What validate captions upload needs (its Lambda builds just this). */
export type ValidateCaptionsUploadDeps = Pick<Deps, 'config' | 'uploads'>;
import type { Validation, ValidateInput } from '../contract/pipeline.js';
import { readSource, workKey } from './read-source.js';

export async function validateCaptionsUpload(input: ValidateInput, deps: ValidateCaptionsUploadDeps): Promise<Validation> {
  const { upload } = input;
  const { bytes, sha256 } = await readSource(deps, upload);
  const result = validateCaptions({ bytes, fileName: upload.fileName, limits: { maxBytes: deps.config.limits.maxBytes.captions } });
  if (!result.ok) {
    return { accepted: false, ...(result.format ? { format: result.format } : {}), reasons: result.reasons, warnings: [], metadata: {}, contentSha256: sha256, artifacts: [] };
  }
  const name = `${upload.stem}.vtt`;
  const key = workKey(upload.assetVersionId, name);
  await deps.uploads.put(key, result.webvtt, { contentType: 'text/vtt' });
  const { videoStem } = captionTarget(upload.fileName);
  return {
    accepted: true,
    format: result.format,
    reasons: [],
    warnings: result.warnings,
    metadata: {
      cues: result.cues,
      durationMs: result.durationMs,
      ...(result.language ? { language: result.language } : {}),
      videoStem,
      sourceFormat: result.format,
    },
    contentSha256: sha256,
    artifacts: [{ name, contentType: 'text/vtt', sha256: sha256Hex(result.webvtt), size: Buffer.byteLength(result.webvtt), from: { store: 'uploads', key } }],
  };
}
