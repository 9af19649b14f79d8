/**
 * Video configuration: limits, the ABR ladder and the MediaConvert account settings. One value per
 * deployment, parsed once from the environment by `parseVideoConfig` (called from
 * `shared/runtime/config.ts`); everything else receives the parsed value. See docs/video.md for the table.
 */
import { LecternError } from '../contract/errors.js';

/** One rung of the HLS ladder, by its short side: 720 is 1280x720 landscape and 720x1280 portrait. */
export interface LadderRung {
  /** Short side in pixels (even). */
  shortSide: number;
  /** QVBR peak (MaxBitrate), bits per second. */
  maxBitrate: number;
  /** QVBR quality level 1–10. */
  qvbrQuality: number;
}

export interface AudioRung {
  /** AAC bitrate, bits per second. */
  bitrate: number;
}

export interface VideoConfig {
  /** Longer sources are rejected (`video.too-long`). */
  maxDurationSeconds: number;
  /** Video ladder, largest first; capped at the source's short side. */
  ladder: LadderRung[];
  /** Audio-only ladder (AAC), largest first. */
  audioLadder: AudioRung[];
  /** AAC bitrate muxed into every video rendition. */
  audioBitrate: number;
  /** The MP4 fallback uses the largest rung at most this short side. */
  mp4MaxShortSide: number;
  /** HLS segment length, seconds. */
  segmentSeconds: number;
  /** A thumbnail every N seconds (widened so that there are at most `maxThumbnails`). */
  thumbnailIntervalSeconds: number;
  maxThumbnails: number;
  /** Long side of thumbnails, pixels. */
  thumbnailLongSide: number;
  /** How far into the video the poster frame is taken (at most; short videos use their first frame). */
  posterAtSeconds: number;
  /** Output duration may differ from the source by max(this, 2 %) before VerifyOutputs rejects it. */
  durationToleranceSeconds: number;
  /** PollTranscode gives up on a job this long after it was submitted (`TranscodeFailedError`). */
  maxTranscodeHours: number;
  /**
   * Bytes ProbeVideo may read from the object. MediaInfo reads the head, jumps to the index (an
   * MP4's `moov` may be at the end) — which is all it needs for what lectern uses — and then would
   * go on sampling frames; the budget stops it there, whatever the size of the upload.
   */
  probeReadBudgetBytes: number;
  /**
   * Where MediaInfoLib's WebAssembly is (`LECTERN_MEDIAINFO_WASM`, an absolute path): on Lambda,
   * the `mediainfo` layer's `/opt/MediaInfoModule.wasm`, which keeps the 2.4 MB engine out of
   * ProbeVideo's zip. Unset: the installed mediainfo.js package's copy.
   */
  mediainfoWasm?: string;
  mediaconvert: {
    /** Account-specific endpoint (older accounts); the SDK's default endpoint otherwise. */
    endpoint?: string;
    queueArn?: string;
    roleArn?: string;
  };
}

export const DEFAULT_LADDER: readonly LadderRung[] = Object.freeze([
  { shortSide: 1080, maxBitrate: 6_000_000, qvbrQuality: 8 },
  { shortSide: 720, maxBitrate: 3_500_000, qvbrQuality: 7 },
  { shortSide: 540, maxBitrate: 2_000_000, qvbrQuality: 7 },
  { shortSide: 360, maxBitrate: 1_000_000, qvbrQuality: 7 },
  { shortSide: 240, maxBitrate: 500_000, qvbrQuality: 6 },
]);

export const DEFAULT_VIDEO_CONFIG: VideoConfig = Object.freeze({
  maxDurationSeconds: 4 * 3600,
  ladder: [...DEFAULT_LADDER],
  audioLadder: [{ bitrate: 128_000 }, { bitrate: 64_000 }],
  audioBitrate: 96_000,
  mp4MaxShortSide: 720,
  segmentSeconds: 6,
  thumbnailIntervalSeconds: 10,
  maxThumbnails: 200,
  thumbnailLongSide: 160,
  posterAtSeconds: 3,
  durationToleranceSeconds: 1,
  maxTranscodeHours: 12,
  probeReadBudgetBytes: 16 * 1024 * 1024,
  mediaconvert: {},
}) as VideoConfig;

export class VideoConfigError extends LecternError {
  readonly code = 'config.video-invalid';
  constructor(problems: string[]) {
    super(`Invalid video configuration: ${problems.join('; ')}`);
    this.name = 'VideoConfigError';
  }
}

/**
 * `LECTERN_VIDEO_LADDER`: `1080:6000:8,720:3500,540:2000` — short side, peak kbit/s, optional
 * QVBR quality (default 7). `LECTERN_AUDIO_LADDER`: `128,64` (kbit/s).
 */
export function parseVideoConfig(env: Record<string, string | undefined>): VideoConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const d = DEFAULT_VIDEO_CONFIG;
  const ladder = env.LECTERN_VIDEO_LADDER ? parseLadder(env.LECTERN_VIDEO_LADDER, problems) : [...d.ladder];
  const audioLadder = env.LECTERN_AUDIO_LADDER ? parseAudioLadder(env.LECTERN_AUDIO_LADDER, problems) : [...d.audioLadder];
  const arn = (name: string, service: string): string | undefined => {
    const value = env[name];
    if (!value) return undefined;
    if (!new RegExp(`^arn:aws[a-z-]*:${service}:`).test(value)) problems.push(`${name} must be an ${service} ARN (got "${value}")`);
    return value;
  };
  const endpoint = env.MEDIACONVERT_ENDPOINT || undefined;
  const mediainfoWasm = env.LECTERN_MEDIAINFO_WASM || undefined;
  if (mediainfoWasm && !/^\/.*\.wasm$/.test(mediainfoWasm)) problems.push(`LECTERN_MEDIAINFO_WASM must be the absolute path of a .wasm file (got "${mediainfoWasm}")`);
  if (endpoint && !/^https:\/\/[^\s/]+/.test(endpoint)) problems.push(`MEDIACONVERT_ENDPOINT must be an https:// URL (got "${endpoint}")`);
  const config: VideoConfig = {
    maxDurationSeconds: int('LECTERN_MAX_VIDEO_SECONDS', d.maxDurationSeconds, 1, 48 * 3600),
    ladder,
    audioLadder,
    audioBitrate: audioKbps(env.LECTERN_VIDEO_AUDIO_KBPS, d.audioBitrate / 1000, problems) * 1000,
    mp4MaxShortSide: int('LECTERN_VIDEO_MP4_MAX_SHORT_SIDE', d.mp4MaxShortSide, 32, 4320),
    segmentSeconds: int('LECTERN_VIDEO_SEGMENT_SECONDS', d.segmentSeconds, 1, 60),
    thumbnailIntervalSeconds: int('LECTERN_VIDEO_THUMBNAIL_SECONDS', d.thumbnailIntervalSeconds, 1, 3600),
    maxThumbnails: int('LECTERN_VIDEO_MAX_THUMBNAILS', d.maxThumbnails, 1, 10_000),
    thumbnailLongSide: int('LECTERN_VIDEO_THUMBNAIL_SIZE', d.thumbnailLongSide, 64, 1920),
    posterAtSeconds: int('LECTERN_VIDEO_POSTER_SECONDS', d.posterAtSeconds, 1, 3600),
    durationToleranceSeconds: d.durationToleranceSeconds,
    maxTranscodeHours: int('LECTERN_TRANSCODE_MAX_HOURS', d.maxTranscodeHours, 1, 72),
    probeReadBudgetBytes: int('LECTERN_PROBE_READ_BUDGET_MIB', d.probeReadBudgetBytes / (1024 * 1024), 1, 4096) * 1024 * 1024,
    ...(mediainfoWasm ? { mediainfoWasm } : {}),
    mediaconvert: {
      ...(endpoint ? { endpoint } : {}),
      ...(arn('MEDIACONVERT_QUEUE_ARN', 'mediaconvert') ? { queueArn: env.MEDIACONVERT_QUEUE_ARN as string } : {}),
      ...(arn('MEDIACONVERT_ROLE_ARN', 'iam') ? { roleArn: env.MEDIACONVERT_ROLE_ARN as string } : {}),
    },
  };
  if (problems.length > 0) throw new VideoConfigError(problems);
  return config;
}

function audioKbps(raw: string | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  const problem = aacProblem('LECTERN_VIDEO_AUDIO_KBPS', raw);
  if (problem) problems.push(problem);
  return problem ? fallback : Number(raw);
}

function parseLadder(text: string, problems: string[]): LadderRung[] {
  const rungs: LadderRung[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(\d{2,4}):(\d{2,6})(?::(\d{1,2}))?$/.exec(part);
    const shortSide = Number(match?.[1]);
    const kbps = Number(match?.[2]);
    const quality = match?.[3] === undefined ? 7 : Number(match[3]);
    if (!match || shortSide < 32 || shortSide > 4320 || shortSide % 2 !== 0 || kbps < 100 || quality < 1 || quality > 10) {
      problems.push(`LECTERN_VIDEO_LADDER: "${part}" is not <even short side 32–4320>:<peak kbit/s ≥ 100>[:<QVBR quality 1–10>]`);
      continue;
    }
    rungs.push({ shortSide, maxBitrate: kbps * 1000, qvbrQuality: quality });
  }
  if (rungs.length === 0) problems.push('LECTERN_VIDEO_LADDER has no rungs');
  return rungs.sort((a, b) => b.shortSide - a.shortSide);
}

/**
 * The AAC bitrates (kbit/s) MediaConvert accepts for lectern's AAC-LC stereo at 48 kHz: its
 * documented set (AacSettings.Bitrate), from 16 to 320. Any other value passes the API's range
 * check and fails the job. tests/unit/video/video-config.test.ts keeps it within the API model's set.
 */
export const AAC_BITRATES_KBPS: readonly number[] = [16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 288, 320];

function aacProblem(name: string, raw: string): string | undefined {
  const kbps = Number(raw);
  return AAC_BITRATES_KBPS.includes(kbps) ? undefined : `${name}: "${raw}" is not an AAC bitrate MediaConvert accepts; use one of ${AAC_BITRATES_KBPS.join(', ')} (kbit/s)`;
}

function parseAudioLadder(text: string, problems: string[]): AudioRung[] {
  const rungs: AudioRung[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const kbps = Number(part);
    const problem = aacProblem('LECTERN_AUDIO_LADDER', part);
    if (problem) {
      problems.push(problem);
      continue;
    }
    rungs.push({ bitrate: kbps * 1000 });
  }
  if (rungs.length === 0) problems.push('LECTERN_AUDIO_LADDER has no rungs');
  return rungs.sort((a, b) => b.bitrate - a.bitrate);
}
