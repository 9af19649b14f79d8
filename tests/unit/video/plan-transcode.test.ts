/**
 * The MediaConvert job planner: a pure function from (upload, probe, configuration) to a CreateJob
 * request and the outputs it must leave. Every planned request is validated against the
 * MediaConvert Smithy model (a typo or an out-of-range value fails here, not in production).
 */
import { describe, expect, it } from 'vitest';
import { capLadder, clientRequestToken, fitLongSide, frameSize, planTranscode, videoVersion, type CaptionSource, type PlanInput } from '../../../shared/video/plan-transcode.js';
import type { JsonObject } from '../../../shared/video/mediaconvert-settings.js';
import type { MediaSummary } from '../../../shared/video/probe-verdict.js';
import { DEFAULT_VIDEO_CONFIG, parseVideoConfig, type VideoConfig } from '../../../shared/video/video-config.js';
import { AWS_MODEL_FILES, loadSmithyModel, MEDIACONVERT_MODEL_QUIRKS, validateAgainstShape, type SmithyModel } from '../../helpers/smithy-validate.js';

const model: SmithyModel = loadSmithyModel(AWS_MODEL_FILES.mediaconvert);

const AV = 'av-0123456789abcdef0123456789abcdef';

function media(overrides: Partial<MediaSummary> = {}): MediaSummary {
  return { kind: 'video', container: 'MPEG-4', durationSeconds: 600, width: 1920, height: 1080, rotation: 0, frameRate: 30, hasAudio: true, audioChannels: 2, ...overrides };
}

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    assetVersionId: AV,
    stage: 'staging',
    course: 'intro-to-biology',
    lesson: 'cells',
    fileName: 'Cell Division.mp4',
    source: { bucket: 'lectern-staging-uploads', key: 'courses/intro-to-biology/lessons/cells/Cell Division.mp4' },
    publishedBucket: 'lectern-staging-published',
    media: media(),
    config: { ...DEFAULT_VIDEO_CONFIG, mediaconvert: { roleArn: 'arn:aws:iam::111122223333:role/lectern-staging-mediaconvert', queueArn: 'arn:aws:mediaconvert:eu-west-1:111122223333:queues/lectern-staging' } },
    ...overrides,
  };
}

/** Every planned request must be a valid CreateJob request. */
function expectValid(request: JsonObject): void {
  const violations = validateAgainstShape(model, 'com.amazonaws.mediaconvert#CreateJobRequest', request, { patternOverrides: MEDIACONVERT_MODEL_QUIRKS });
  expect(violations).toEqual([]);
}

const groups = (request: JsonObject) => request.Settings.OutputGroups as JsonObject[];
const group = (request: JsonObject, name: string) => groups(request).find((g) => g.CustomName === name) as JsonObject;
const sizes = (request: JsonObject) =>
  (group(request, 'hls').Outputs as JsonObject[]).filter((o) => o.VideoDescription).map((o) => `${o.VideoDescription.Width}x${o.VideoDescription.Height}`);

describe('planTranscode: video', () => {
  it('plans a QVBR H.264 HLS ladder, an MP4, a poster and thumbnails for a 1080p lecture', () => {
    const plan = planTranscode(input());
    expectValid(plan.request);
    expect(sizes(plan.request)).toEqual(['1920x1080', '1280x720', '960x540', '640x360', '426x240']);
    const top = (group(plan.request, 'hls').Outputs as JsonObject[])[0] as JsonObject;
    expect(top.VideoDescription.CodecSettings).toMatchObject({
      Codec: 'H_264',
      H264Settings: { RateControlMode: 'QVBR', QvbrSettings: { QvbrQualityLevel: 8 }, MaxBitrate: 6_000_000, GopSize: 2, GopSizeUnits: 'SECONDS' },
    });
    expect(top.AudioDescriptions[0].CodecSettings).toEqual({
      Codec: 'AAC',
      AacSettings: expect.objectContaining({ Bitrate: 96_000, CodingMode: 'CODING_MODE_2_0', SampleRate: 48000 }),
    });
    const mp4 = group(plan.request, 'mp4');
    expect(mp4.Outputs[0].ContainerSettings.Container).toBe('MP4');
    expect(`${mp4.Outputs[0].VideoDescription.Width}x${mp4.Outputs[0].VideoDescription.Height}`).toBe('1280x720');
    expect(group(plan.request, 'poster').Outputs[0].VideoDescription.CodecSettings.FrameCaptureSettings).toEqual({ FramerateNumerator: 1, FramerateDenominator: 3, MaxCaptures: 2, Quality: 85 });
    expect(group(plan.request, 'thumbnails').Outputs[0].VideoDescription).toMatchObject({ Width: 160, Height: 90 });
    expect(group(plan.request, 'thumbnails').Outputs[0].VideoDescription.CodecSettings.FrameCaptureSettings).toMatchObject({ FramerateDenominator: 10, MaxCaptures: 60 });
  });

  it('writes every output under the version prefix in the published bucket, and lists what it expects', () => {
    const plan = planTranscode(input());
    const prefix = 'courses/intro-to-biology/lessons/cells/Cell Division.mp4/0123456789abcdef/';
    expect(plan.expected.prefix).toBe(prefix);
    expect(plan.expected.version).toBe('0123456789abcdef');
    for (const g of groups(plan.request)) {
      const settings = g.OutputGroupSettings.HlsGroupSettings ?? g.OutputGroupSettings.FileGroupSettings;
      expect(settings.Destination.startsWith(`s3://lectern-staging-published/${prefix}`), settings.Destination).toBe(true);
    }
    expect(plan.request.Settings.Inputs[0].FileInput).toBe('s3://lectern-staging-uploads/courses/intro-to-biology/lessons/cells/Cell Division.mp4');
    expect(plan.expected.hls.master).toBe(`${prefix}hls/master.m3u8`);
    expect(plan.expected.hls.renditions.map((r) => r.playlist)).toEqual(['1080p', '720p', '540p', '360p', '240p'].map((n) => `${prefix}hls/master_${n}.m3u8`));
    expect(plan.expected.file).toEqual({ key: `${prefix}mp4/video.mp4`, contentType: 'video/mp4', width: 1280, height: 720 });
    expect(plan.expected.thumbnails).toMatchObject({ prefix: `${prefix}thumbnails/`, intervalSeconds: 10, count: 60 });
    expect(plan.expected.sourceDurationSeconds).toBe(600);
  });

  it('takes queue, role and metadata from configuration and the upload; the token is the asset version', () => {
    const plan = planTranscode(input());
    expect(plan.request).toMatchObject({
      Role: 'arn:aws:iam::111122223333:role/lectern-staging-mediaconvert',
      Queue: 'arn:aws:mediaconvert:eu-west-1:111122223333:queues/lectern-staging',
      ClientRequestToken: `${AV}-1`,
      UserMetadata: { assetVersionId: AV, stage: 'staging', requestToken: `${AV}-1` },
      StatusUpdateInterval: 'SECONDS_60',
    });
    expect(plan.clientRequestToken).toBe(`${AV}-1`);
    expect(planTranscode(input({ attempt: 3 })).clientRequestToken).toBe(`${AV}-3`);
    expect(clientRequestToken(AV, 12).length).toBeLessThanOrEqual(64);
    // deterministic: the same input plans the same job
    expect(planTranscode(input())).toEqual(planTranscode(input()));
  });

  it('caps the ladder at the source: no upscaling, and a 720p source tops out at 720p', () => {
    const plan = planTranscode(input({ media: media({ width: 1280, height: 720 }) }));
    expectValid(plan.request);
    expect(sizes(plan.request)).toEqual(['1280x720', '960x540', '640x360', '426x240']);
    expect(sizes(planTranscode(input({ media: media({ width: 3840, height: 2160 }) })).request)[0]).toBe('1920x1080');
    // between rungs: the rungs below it
    expect(sizes(planTranscode(input({ media: media({ width: 1024, height: 576 }) })).request)).toEqual(['960x540', '640x360', '426x240']);
  });

  it('keeps portrait sources portrait (rotation already applied by the probe: display size)', () => {
    // a phone video: coded 1920x1080 with rotation 90 → displayed 1080x1920
    const plan = planTranscode(input({ media: media({ width: 1080, height: 1920, rotation: 90 }) }));
    expectValid(plan.request);
    expect(sizes(plan.request)).toEqual(['1080x1920', '720x1280', '540x960', '360x640', '240x426']);
    expect(plan.request.Settings.Inputs[0].VideoSelector).toEqual({ Rotate: 'AUTO' });
    expect(group(plan.request, 'thumbnails').Outputs[0].VideoDescription).toMatchObject({ Width: 90, Height: 160 });
    expect(plan.expected.file).toMatchObject({ width: 720, height: 1280 });
  });

  it('gives a source smaller than every rung one rendition at its own size', () => {
    const plan = planTranscode(input({ media: media({ width: 200, height: 150, durationSeconds: 0.5 }) }));
    expectValid(plan.request);
    expect(sizes(plan.request)).toEqual(['200x150']);
    expect(group(plan.request, 'poster').Outputs[0].VideoDescription.CodecSettings.FrameCaptureSettings.MaxCaptures).toBe(1);
    expect(plan.expected.thumbnails?.count).toBe(1);
  });

  it('plans no audio for a silent video, and mono for a mono one', () => {
    const silent = planTranscode(input({ media: media({ hasAudio: false, audioChannels: undefined }) }));
    expectValid(silent.request);
    expect(silent.request.Settings.Inputs[0].AudioSelectors).toBeUndefined();
    for (const g of groups(silent.request)) for (const o of g.Outputs as JsonObject[]) expect(o.AudioDescriptions).toBeUndefined();
    expect(silent.expected.hls.renditions.every((r) => r.audioBitrate === undefined)).toBe(true);
    const mono = planTranscode(input({ media: media({ audioChannels: 1 }) }));
    expect(group(mono.request, 'mp4').Outputs[0].AudioDescriptions[0].CodecSettings.AacSettings.CodingMode).toBe('CODING_MODE_1_0');
  });

  it('mixes a 5.1 (or 7.1) source down to stereo, keeping the centre channel where the voice is', () => {
    const surround = planTranscode(input({ media: media({ audioChannels: 6 }) }));
    expectValid(surround.request);
    const audioDescriptions = groups(surround.request).flatMap((g) => (g.Outputs as JsonObject[]).flatMap((o) => (o.AudioDescriptions as JsonObject[] | undefined) ?? []));
    expect(audioDescriptions.length).toBeGreaterThan(0);
    for (const description of audioDescriptions) {
      expect(description.CodecSettings.AacSettings.CodingMode).toBe('CODING_MODE_2_0');
      // L R C LFE Ls Rs → L = L + C(-3 dB) + Ls(-3 dB), R likewise; LFE muted (-60 dB).
      expect(description.RemixSettings).toEqual({
        ChannelsIn: 6,
        ChannelsOut: 2,
        ChannelMapping: { OutputChannels: [{ InputChannels: [0, -60, -3, -60, -3, -60] }, { InputChannels: [-60, 0, -3, -60, -60, -3] }] },
      });
    }
    const sevenOne = planTranscode(input({ media: media({ audioChannels: 8 }) }));
    expectValid(sevenOne.request);
    expect(group(sevenOne.request, 'mp4').Outputs[0].AudioDescriptions[0].RemixSettings.ChannelMapping.OutputChannels[0].InputChannels).toEqual([0, -60, -3, -60, -3, -60, -3, -60]);
    // Stereo and mono sources are left as they are.
    for (const channels of [1, 2]) expect(group(planTranscode(input({ media: media({ audioChannels: channels }) })).request, 'mp4').Outputs[0].AudioDescriptions[0].RemixSettings).toBeUndefined();
  });

  it('widens the thumbnail interval so a long lecture gets at most maxThumbnails', () => {
    const plan = planTranscode(input({ media: media({ durationSeconds: 3 * 3600 }) }));
    expectValid(plan.request);
    expect(plan.expected.thumbnails).toMatchObject({ intervalSeconds: 54, count: 200 });
  });

  it('muxes the lesson captions in as WebVTT subtitle renditions', () => {
    const captions: CaptionSource[] = [
      { bucket: 'lectern-staging-published', key: 'courses/intro-to-biology/lessons/cells/Cell Division.en.vtt/aaaa/Cell Division.en.vtt', language: 'en', label: 'English', format: 'vtt' },
      { bucket: 'lectern-staging-published', key: 'courses/intro-to-biology/lessons/cells/Cell Division.es-419.vtt/bbbb/Cell Division.es-419.vtt', language: 'es-419', label: 'Latin American Spanish', format: 'vtt' },
      { bucket: 'lectern-staging-published', key: 'courses/intro-to-biology/lessons/cells/notes.srt/cccc/notes.srt', label: 'notes.srt', format: 'srt' },
    ];
    const plan = planTranscode(input({ captions }));
    expectValid(plan.request);
    const selectors = plan.request.Settings.Inputs[0].CaptionSelectors as Record<string, JsonObject>;
    expect(Object.values(selectors).map((s) => s.SourceSettings.SourceType)).toEqual(['WEBVTT', 'WEBVTT', 'SRT']);
    const captionOutputs = (group(plan.request, 'hls').Outputs as JsonObject[]).filter((o) => o.CaptionDescriptions);
    expect(captionOutputs.map((o) => o.NameModifier)).toEqual(['_captions_en', '_captions_es_419', '_captions_3']);
    // es-419 is a valid BCP 47 tag but not MediaConvert's CustomLanguageCode pattern: label only
    expect(captionOutputs.map((o) => o.CaptionDescriptions[0].CustomLanguageCode)).toEqual(['en', undefined, undefined]);
    // Sidecar WebVTT renditions, not embedded 608: OMIT, as AWS's templates set it (INSERT would
    // announce CLOSED-CAPTIONS the segments do not carry).
    expect(group(plan.request, 'hls').OutputGroupSettings.HlsGroupSettings.CaptionLanguageSetting).toBe('OMIT');
    expect(plan.expected.hls.captions.map((c) => c.playlist.split('/').pop())).toEqual(['master_captions_en.m3u8', 'master_captions_es_419.m3u8', 'master_captions_3.m3u8']);
  });

  it('uses a configured ladder', () => {
    const config: VideoConfig = { ...parseVideoConfig({ LECTERN_VIDEO_LADDER: '720:2500:6,360:800' }), mediaconvert: { roleArn: 'arn:aws:iam::111122223333:role/mc' } };
    const plan = planTranscode(input({ config }));
    expectValid(plan.request);
    expect(sizes(plan.request)).toEqual(['1280x720', '640x360']);
    expect((group(plan.request, 'hls').Outputs as JsonObject[]).map((o) => o.VideoDescription.CodecSettings.H264Settings.QvbrSettings.QvbrQualityLevel)).toEqual([6, 7]);
  });
});

describe('planTranscode: audio', () => {
  it('plans an audio-only HLS ladder and an M4A, no frame captures', () => {
    const plan = planTranscode(input({ fileName: 'podcast.mp3', media: { kind: 'audio', container: 'MPEG Audio', durationSeconds: 1800, hasAudio: true, audioChannels: 1 } }));
    expectValid(plan.request);
    expect(groups(plan.request).map((g) => g.CustomName)).toEqual(['hls', 'm4a']);
    const hls = group(plan.request, 'hls').Outputs as JsonObject[];
    expect(hls.map((o) => o.AudioDescriptions[0].CodecSettings.AacSettings.Bitrate)).toEqual([128_000, 64_000]);
    expect(hls.every((o) => o.VideoDescription === undefined && o.OutputSettings.HlsSettings.AudioTrackType === 'AUDIO_ONLY_VARIANT_STREAM')).toBe(true);
    expect(plan.request.Settings.Inputs[0].VideoSelector).toBeUndefined();
    expect(plan.expected).toMatchObject({ kind: 'audio', file: { contentType: 'audio/mp4' } });
    expect(plan.expected.file.key.endsWith('/audio/audio.m4a')).toBe(true);
    expect(plan.expected.poster).toBeUndefined();
  });
});

describe('ladder arithmetic', () => {
  it('frame sizes are even and keep the display aspect', () => {
    expect(frameSize(1920, 1080, 720)).toEqual({ width: 1280, height: 720 });
    expect(frameSize(1080, 1920, 720)).toEqual({ width: 720, height: 1280 });
    expect(frameSize(640, 480, 240)).toEqual({ width: 320, height: 240 });
    expect(frameSize(1000, 1000, 360)).toEqual({ width: 360, height: 360 });
    expect(fitLongSide(1920, 1080, 160)).toEqual({ width: 160, height: 90 });
    expect(fitLongSide(3200, 400, 160)).toEqual({ width: 160, height: 32 });
  });

  it('caps the ladder and never returns nothing', () => {
    expect(capLadder(DEFAULT_VIDEO_CONFIG.ladder, 1080).map((r) => r.shortSide)).toEqual([1080, 720, 540, 360, 240]);
    expect(capLadder(DEFAULT_VIDEO_CONFIG.ladder, 100).map((r) => r.shortSide)).toEqual([100]);
    expect(capLadder(DEFAULT_VIDEO_CONFIG.ladder, 33).map((r) => r.shortSide)).toEqual([32]);
  });

  it('versions by the asset version id', () => {
    expect(videoVersion(AV)).toBe('0123456789abcdef');
    expect(() => videoVersion('not-an-id')).toThrow();
  });
});
