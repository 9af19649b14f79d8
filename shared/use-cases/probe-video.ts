/**
 * ProbeVideo: what is inside an uploaded video or audio file — container, duration, tracks,
 * resolution, rotation, frame rate — read with ranged reads of its head and tail (never the whole
 * object), and whether lectern can transcode it. Unreadable, empty, trackless or too long files are
 * a verdict with a reason (→ MarkRejected), like ValidatePdf. The probe also decides the kind: a
 * video container without a picture (an .mp4 of a podcast) is published as audio.
 */
import { isSuperseded } from '../contract/asset-version.js';
import type { Deps } from '../runtime/deps.js';

/** What probe video needs (its Lambda builds just this). */
export type ProbeVideoDeps = Pick<Deps, 'config' | 'uploads'>;
import { SourceMissingError, InternalError } from '../contract/errors.js';
import { logger } from '../runtime/logger.js';
import type { ClassifiedUpload, ExecutionRef, ExecutionState, Validation } from '../contract/pipeline.js';
import { probeMedia, type MediaProbe } from '../video/probe-media.js';
import { judgeProbe } from '../video/probe-verdict.js';
import { videoVersion } from '../video/plan-transcode.js';

export interface ProbeInput extends ExecutionRef {
  /** The whole execution state (`$`): ProbeVideo returns it with `upload` and `validation` set. */
  state: ExecutionState;
}

/**
 * The state machine passes the whole state and takes it back (ResultPath `$`), because the probe
 * changes two things — the kind on `upload` and the verdict at `validation` — and everything
 * else in the state (a redrive's `failure` record, say) must survive.
 */
export async function probeVideo(input: ProbeInput, deps: ProbeVideoDeps): Promise<ExecutionState> {
  const { state } = input;
  if (!state.upload) throw new InternalError('ProbeVideo needs a classified upload.');
  return { ...state, ...(await probeUpload(state.upload, deps)) };
}

export async function probeUpload(upload: ClassifiedUpload, deps: ProbeVideoDeps): Promise<{ upload: ClassifiedUpload; validation: Validation }> {
  const key = upload.source.key;
  const head = await deps.uploads.head(key);
  if (!head) throw new SourceMissingError(`"${key}" no longer exists in the upload bucket. Upload it again.`);
  if (isSuperseded(upload.source, head)) {
    throw new SourceMissingError(`"${key}" was replaced by a newer upload while this one was processed; the newer one is processed on its own.`, {
      code: 'upload.superseded',
    });
  }
  let probe: MediaProbe | undefined;
  try {
    probe = await probeMedia({
      size: head.size,
      read: (start, end) => deps.uploads.getRange(key, start, end),
      budgetBytes: deps.config.video.probeReadBudgetBytes,
      ...(deps.config.video.mediainfoWasm ? { wasmFile: deps.config.video.mediainfoWasm } : {}),
    });
  } catch (error) {
    if ((error as Error).name !== 'ProbeFailedError') throw error; // the store failing is not the upload's fault
    logger.info('probe could not parse the file', { errorMessage: (error as Error).message });
  }
  const declaredKind = upload.kind === 'audio' ? 'audio' : 'video';
  const verdict = judgeProbe(probe, { fileName: upload.fileName, declaredKind, maxDurationSeconds: deps.config.video.maxDurationSeconds });
  logger.info('probed', { accepted: verdict.accepted, kind: verdict.kind, bytesRead: probe?.bytesRead, reads: probe?.reads, size: head.size });
  const media = verdict.media;
  const metadata: Record<string, unknown> = media
    ? {
        durationSeconds: media.durationSeconds,
        container: media.container,
        ...(media.width ? { width: media.width, height: media.height, rotation: media.rotation } : {}),
        ...(media.frameRate ? { frameRate: media.frameRate } : {}),
        ...(media.videoCodec ? { videoCodec: media.videoCodec } : {}),
        hasAudio: media.hasAudio,
        ...(media.audioCodec ? { audioCodec: media.audioCodec } : {}),
        ...(media.audioChannels ? { audioChannels: media.audioChannels } : {}),
      }
    : {};
  return {
    upload: { ...upload, kind: verdict.kind },
    validation: {
      accepted: verdict.accepted,
      ...(verdict.format ? { format: verdict.format } : {}),
      reasons: verdict.reasons,
      warnings: verdict.warnings,
      metadata,
      version: videoVersion(upload.assetVersionId),
      ...(media ? { media } : {}),
      artifacts: [],
    },
  };
}
