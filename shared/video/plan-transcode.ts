/**
 * The MediaConvert job for one upload, planned as plain data (a CreateJob request, PascalCase as
 * the SDK takes it) together with the outputs it must produce. Pure: the same upload, probe and
 * configuration always give the same job, which is what makes `ClientRequestToken` meaningful and
 * lets the ffmpeg twin run exactly what MediaConvert would.
 *
 * - video: an HLS ladder (H.264 QVBR, AAC muxed in each rendition) capped at the source's short
 *   side — landscape, portrait and rotated sources alike —, an MP4 fallback, a poster frame and
 *   a thumbnail strip, WebVTT subtitle renditions from the lesson's (already validated) captions;
 * - audio: an HLS audio-only ladder (AAC) and an M4A fallback.
 *
 * Every output is written under the asset version's immutable prefix in the published bucket:
 * `courses/<c>/lessons/<l>/<asset file name>/<version>/…`, where `version` is the first 16 hex of
 * the asset version id (see `videoVersion`).
 */
import type { MediaSummary } from './probe-verdict.js';
import type { AudioRung, LadderRung, VideoConfig } from './video-config.js';
import { InternalError } from '../contract/errors.js';
import { AUDIO_SELECTOR, aacDescription, frameCaptureGroup, h264Description, hlsGroupSettings, type JsonObject } from './mediaconvert-settings.js';

export interface CaptionSource {
  /** Bucket and key of a validated caption file (the published `.vtt` of a captions asset). */
  bucket: string;
  key: string;
  /** BCP 47 language tag, when the caption file names one (`lecture.en.vtt`). */
  language?: string;
  /** What players show in the subtitle menu. */
  label: string;
  format: 'vtt' | 'srt';
}

export interface PlanInput {
  assetVersionId: string;
  stage: string;
  course: string;
  lesson: string;
  fileName: string;
  source: { bucket: string; key: string };
  publishedBucket: string;
  media: MediaSummary;
  captions?: CaptionSource[];
  config: VideoConfig;
  /** 1 for the first job of this asset version; a new number after a job ended in ERROR. */
  attempt?: number;
}

export interface PlannedRendition {
  name: string;
  /** Key of the rendition's media playlist. */
  playlist: string;
  width?: number;
  height?: number;
  maxBitrate?: number;
  audioBitrate?: number;
}

export interface PlannedCaptions {
  name: string;
  language?: string;
  label: string;
  playlist: string;
}

/** What the job must leave in the published bucket; VerifyOutputs checks exactly this. */
export interface PlannedOutputs {
  kind: 'video' | 'audio';
  version: string;
  /** `courses/<c>/lessons/<l>/<asset>/<version>/` */
  prefix: string;
  hls: { master: string; renditions: PlannedRendition[]; captions: PlannedCaptions[] };
  /** MP4 (video) or M4A (audio) fallback. */
  file: { key: string; contentType: string; width?: number; height?: number };
  /** Frame captures: the poster is the last one written under this prefix. */
  poster?: { prefix: string; width: number; height: number };
  thumbnails?: { prefix: string; intervalSeconds: number; width: number; height: number; count: number };
  /** Caption files the job read (published `.vtt` of caption assets). */
  captionSources: CaptionSource[];
  sourceDurationSeconds: number;
}

export interface TranscodePlan {
  request: JsonObject;
  clientRequestToken: string;
  expected: PlannedOutputs;
}


/** The content address of a video version: first 16 hex of the asset version id (see docs/video.md). */
export function videoVersion(assetVersionId: string): string {
  const hex = assetVersionId.replace(/^av-/, '');
  if (!/^[0-9a-f]{16,}$/.test(hex)) throw new InternalError(`Not an asset version id: ${assetVersionId}`);
  return hex.slice(0, 16);
}

/** `ClientRequestToken` (≤ 64 ASCII characters): the asset version id and the attempt number. */
export function clientRequestToken(assetVersionId: string, attempt = 1): string {
  return `${assetVersionId}-${attempt}`;
}

export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

export function planTranscode(input: PlanInput): TranscodePlan {
  const { media, config } = input;
  const version = videoVersion(input.assetVersionId);
  const prefix = `courses/${input.course}/lessons/${input.lesson}/${input.fileName}/${version}/`;
  const token = clientRequestToken(input.assetVersionId, input.attempt ?? 1);
  const dest = (path: string) => s3Url(input.publishedBucket, `${prefix}${path}`);
  const plan = media.kind === 'video' && media.width && media.height ? planVideo(input, prefix, dest) : planAudio(input, prefix, dest);
  const request: JsonObject = {
    Role: config.mediaconvert.roleArn ?? 'arn:aws:iam::000000000000:role/lectern-local-mediaconvert',
    ...(config.mediaconvert.queueArn ? { Queue: config.mediaconvert.queueArn } : {}),
    ClientRequestToken: token,
    UserMetadata: { assetVersionId: input.assetVersionId, stage: input.stage, requestToken: token },
    Tags: { project: 'lectern', stage: input.stage },
    BillingTagsSource: 'JOB',
    StatusUpdateInterval: 'SECONDS_60',
    Priority: 0,
    Settings: {
      TimecodeConfig: { Source: 'ZEROBASED' },
      Inputs: [plan.input],
      OutputGroups: plan.outputGroups,
    },
  };
  return {
    request,
    clientRequestToken: token,
    expected: { ...plan.expected, version, prefix, sourceDurationSeconds: media.durationSeconds },
  };
}

interface Planned {
  input: JsonObject;
  outputGroups: JsonObject[];
  expected: Omit<PlannedOutputs, 'version' | 'prefix' | 'sourceDurationSeconds'>;
}

function planVideo(input: PlanInput, prefix: string, dest: (path: string) => string): Planned {
  const { media, config } = input;
  const sourceWidth = media.width as number;
  const sourceHeight = media.height as number;
  const rungs = capLadder(config.ladder, Math.min(sourceWidth, sourceHeight));
  const withAudio = media.hasAudio;
  const audio = withAudio ? [aacDescription(config.audioBitrate, media.audioChannels)] : undefined;
  const captions = input.captions ?? [];

  const renditions = rungs.map((rung) => ({ rung, ...frameSize(sourceWidth, sourceHeight, rung.shortSide) }));
  const hlsOutputs: JsonObject[] = renditions.map(({ rung, width, height }) => ({
    NameModifier: `_${rung.shortSide}p`,
    ContainerSettings: { Container: 'M3U8', M3u8Settings: { AudioFramesPerPes: 4, PcrControl: 'PCR_EVERY_PES_PACKET' } },
    VideoDescription: h264Description(width, height, rung),
    ...(audio ? { AudioDescriptions: audio } : {}),
    OutputSettings: { HlsSettings: { IFrameOnlyManifest: 'EXCLUDE', AudioOnlyContainer: 'AUTOMATIC' } },
  }));
  const captionOutputs: JsonObject[] = captions.map((caption, index) => ({
    NameModifier: `_captions_${captionSuffix(caption, index)}`,
    ContainerSettings: { Container: 'M3U8', M3u8Settings: {} },
    CaptionDescriptions: [
      {
        CaptionSelectorName: captionSelectorName(index),
        ...(caption.language && CUSTOM_LANGUAGE.test(caption.language) ? { CustomLanguageCode: caption.language } : {}),
        LanguageDescription: caption.label,
        DestinationSettings: { DestinationType: 'WEBVTT', WebvttDestinationSettings: { StylePassthrough: 'DISABLED', Accessibility: 'DISABLED' } },
      },
    ],
  }));

  const mp4Rung = rungs.find((r) => r.shortSide <= config.mp4MaxShortSide) ?? (rungs[rungs.length - 1] as LadderRung);
  const mp4Size = frameSize(sourceWidth, sourceHeight, mp4Rung.shortSide);
  const poster = fitLongSide(sourceWidth, sourceHeight, Math.max(mp4Size.width, mp4Size.height));
  const thumb = fitLongSide(sourceWidth, sourceHeight, config.thumbnailLongSide);
  const duration = media.durationSeconds;
  const interval = Math.max(config.thumbnailIntervalSeconds, Math.ceil(duration / config.maxThumbnails));
  const thumbnailCount = Math.max(1, Math.min(config.maxThumbnails, Math.ceil(duration / interval)));
  // Captures at 0 s and at posterAt s (when the video is that long); the poster is the last one.
  const posterEvery = config.posterAtSeconds;
  const posterCaptures = duration > posterEvery ? 2 : 1;

  const input_: JsonObject = {
    FileInput: s3Url(input.source.bucket, input.source.key),
    TimecodeSource: 'ZEROBASED',
    VideoSelector: { Rotate: 'AUTO' },
    ...(withAudio ? { AudioSelectors: { [AUDIO_SELECTOR]: { DefaultSelection: 'DEFAULT' } } } : {}),
    ...(captions.length > 0
      ? {
          CaptionSelectors: Object.fromEntries(
            captions.map((caption, index) => [
              captionSelectorName(index),
              {
                SourceSettings: {
                  SourceType: caption.format === 'srt' ? 'SRT' : 'WEBVTT',
                  FileSourceSettings: { SourceFile: s3Url(caption.bucket, caption.key) },
                },
              },
            ]),
          ),
        }
      : {}),
  };

  const outputGroups: JsonObject[] = [
    {
      Name: 'HLS',
      CustomName: 'hls',
      OutputGroupSettings: { Type: 'HLS_GROUP_SETTINGS', HlsGroupSettings: hlsGroupSettings(dest('hls/master'), config.segmentSeconds, captions.length > 0) },
      Outputs: [...hlsOutputs, ...captionOutputs],
    },
    {
      Name: 'File Group',
      CustomName: 'mp4',
      OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: dest('mp4/video') } },
      Outputs: [
        {
          Extension: 'mp4',
          ContainerSettings: { Container: 'MP4', Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD', CslgAtom: 'INCLUDE', FreeSpaceBox: 'EXCLUDE' } },
          VideoDescription: h264Description(mp4Size.width, mp4Size.height, mp4Rung),
          ...(audio ? { AudioDescriptions: audio } : {}),
        },
      ],
    },
    frameCaptureGroup('poster', dest('poster/poster'), poster, { every: posterEvery, max: posterCaptures, quality: 85 }),
    frameCaptureGroup('thumbnails', dest('thumbnails/thumb'), thumb, { every: interval, max: thumbnailCount, quality: 70 }),
  ];

  const hlsKey = (modifier: string) => `${prefix}hls/master${modifier}.m3u8`;
  return {
    input: input_,
    outputGroups,
    expected: {
      kind: 'video',
      hls: {
        master: `${prefix}hls/master.m3u8`,
        renditions: renditions.map(({ rung, width, height }) => ({
          name: `${rung.shortSide}p`,
          playlist: hlsKey(`_${rung.shortSide}p`),
          width,
          height,
          maxBitrate: rung.maxBitrate,
          ...(withAudio ? { audioBitrate: config.audioBitrate } : {}),
        })),
        captions: captions.map((caption, index) => ({
          name: `captions_${captionSuffix(caption, index)}`,
          ...(caption.language ? { language: caption.language } : {}),
          label: caption.label,
          playlist: hlsKey(`_captions_${captionSuffix(caption, index)}`),
        })),
      },
      file: { key: `${prefix}mp4/video.mp4`, contentType: 'video/mp4', width: mp4Size.width, height: mp4Size.height },
      poster: { prefix: `${prefix}poster/`, ...poster },
      thumbnails: { prefix: `${prefix}thumbnails/`, intervalSeconds: interval, count: thumbnailCount, ...thumb },
      captionSources: captions,
    },
  };
}

function planAudio(input: PlanInput, prefix: string, dest: (path: string) => string): Planned {
  const { media, config } = input;
  const rungs = config.audioLadder;
  const outputs: JsonObject[] = rungs.map((rung) => ({
    NameModifier: audioModifier(rung),
    ContainerSettings: { Container: 'M3U8', M3u8Settings: { AudioFramesPerPes: 4 } },
    AudioDescriptions: [aacDescription(rung.bitrate, media.audioChannels)],
    OutputSettings: { HlsSettings: { AudioTrackType: 'AUDIO_ONLY_VARIANT_STREAM', AudioOnlyContainer: 'AUTOMATIC', AudioGroupId: 'audio' } },
  }));
  const top = rungs[0] as AudioRung;
  return {
    input: {
      FileInput: s3Url(input.source.bucket, input.source.key),
      TimecodeSource: 'ZEROBASED',
      AudioSelectors: { [AUDIO_SELECTOR]: { DefaultSelection: 'DEFAULT' } },
    },
    outputGroups: [
      {
        Name: 'HLS',
        CustomName: 'hls',
        OutputGroupSettings: { Type: 'HLS_GROUP_SETTINGS', HlsGroupSettings: hlsGroupSettings(dest('hls/master'), config.segmentSeconds, false) },
        Outputs: outputs,
      },
      {
        Name: 'File Group',
        CustomName: 'm4a',
        OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: dest('audio/audio') } },
        Outputs: [
          {
            Extension: 'm4a',
            ContainerSettings: { Container: 'MP4', Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' } },
            AudioDescriptions: [aacDescription(top.bitrate, media.audioChannels)],
          },
        ],
      },
    ],
    expected: {
      kind: 'audio',
      hls: {
        master: `${prefix}hls/master.m3u8`,
        renditions: rungs.map((rung) => ({
          name: audioModifier(rung).slice(1),
          playlist: `${prefix}hls/master${audioModifier(rung)}.m3u8`,
          audioBitrate: rung.bitrate,
        })),
        captions: [],
      },
      file: { key: `${prefix}audio/audio.m4a`, contentType: 'audio/mp4' },
      captionSources: [],
    },
  };
}

/** Rungs at or below the source's short side; a source smaller than every rung gets one at its own size. */
export function capLadder(ladder: readonly LadderRung[], sourceShortSide: number): LadderRung[] {
  const sorted = [...ladder].sort((a, b) => b.shortSide - a.shortSide);
  const fitting = sorted.filter((rung) => rung.shortSide <= sourceShortSide);
  if (fitting.length > 0) return fitting;
  const smallest = sorted[sorted.length - 1] as LadderRung;
  return [{ ...smallest, shortSide: Math.max(32, Math.floor(sourceShortSide / 2) * 2) }];
}

/** Output frame for a rung: the short side is the rung, the long side keeps the display aspect. */
export function frameSize(displayWidth: number, displayHeight: number, shortSide: number): { width: number; height: number } {
  const portrait = displayHeight > displayWidth;
  const aspect = Math.max(displayWidth, displayHeight) / Math.min(displayWidth, displayHeight);
  const long = Math.min(8192, Math.max(32, even(shortSide * aspect)));
  return portrait ? { width: shortSide, height: long } : { width: long, height: shortSide };
}

/** A frame whose long side is `longSide`, same aspect as the display (thumbnails, poster). */
export function fitLongSide(displayWidth: number, displayHeight: number, longSide: number): { width: number; height: number } {
  const scale = longSide / Math.max(displayWidth, displayHeight);
  const width = Math.max(32, even(displayWidth * scale));
  const height = Math.max(32, even(displayHeight * scale));
  return { width, height };
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

const CUSTOM_LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z-]+)?$/;

function captionSelectorName(index: number): string {
  return `Captions Selector ${index + 1}`;
}

function captionSuffix(caption: CaptionSource, index: number): string {
  return caption.language ? caption.language.toLowerCase().replace(/[^a-z0-9]+/g, '_') : `${index + 1}`;
}

function audioModifier(rung: AudioRung): string {
  return `_aac${Math.round(rung.bitrate / 1000)}k`;
}
