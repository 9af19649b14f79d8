import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/runtime/config.js';
import { AAC_BITRATES_KBPS, DEFAULT_VIDEO_CONFIG, parseVideoConfig } from '../../../shared/video/video-config.js';
import { AWS_MODEL_FILES, loadSmithyModel } from '../../helpers/smithy-validate.js';

describe('video configuration', () => {
  it('has sensible defaults', () => {
    const config = parseVideoConfig({});
    expect(config).toEqual(DEFAULT_VIDEO_CONFIG);
    expect(config.ladder.map((r) => r.shortSide)).toEqual([1080, 720, 540, 360, 240]);
    expect(config.maxDurationSeconds).toBe(4 * 3600);
  });

  it('reads the ladder, limits and MediaConvert settings from the environment', () => {
    const config = parseVideoConfig({
      LECTERN_VIDEO_LADDER: '360:800, 1080:5000:9 ,720:3000',
      LECTERN_AUDIO_LADDER: '96,160',
      LECTERN_MAX_VIDEO_SECONDS: '600',
      LECTERN_VIDEO_SEGMENT_SECONDS: '4',
      MEDIACONVERT_QUEUE_ARN: 'arn:aws:mediaconvert:eu-west-1:111122223333:queues/lectern-prod',
      MEDIACONVERT_ROLE_ARN: 'arn:aws:iam::111122223333:role/lectern-prod-mediaconvert',
      MEDIACONVERT_ENDPOINT: 'https://abcd1234.mediaconvert.eu-west-1.amazonaws.com',
    });
    expect(config.ladder).toEqual([
      { shortSide: 1080, maxBitrate: 5_000_000, qvbrQuality: 9 },
      { shortSide: 720, maxBitrate: 3_000_000, qvbrQuality: 7 },
      { shortSide: 360, maxBitrate: 800_000, qvbrQuality: 7 },
    ]);
    expect(config.audioLadder).toEqual([{ bitrate: 160_000 }, { bitrate: 96_000 }]);
    expect(config).toMatchObject({ maxDurationSeconds: 600, segmentSeconds: 4 });
    expect(config.mediaconvert).toEqual({
      endpoint: 'https://abcd1234.mediaconvert.eu-west-1.amazonaws.com',
      queueArn: 'arn:aws:mediaconvert:eu-west-1:111122223333:queues/lectern-prod',
      roleArn: 'arn:aws:iam::111122223333:role/lectern-prod-mediaconvert',
    });
  });

  it('fails loudly on every malformed value at once, through parseConfig', () => {
    expect(() =>
      parseConfig({ LECTERN_VIDEO_LADDER: '719:3000,abc', LECTERN_MAX_VIDEO_SECONDS: '0', MEDIACONVERT_ROLE_ARN: 'my-role', MEDIACONVERT_ENDPOINT: 'http://x' }),
    ).toThrow(/LECTERN_VIDEO_LADDER: "719:3000".*LECTERN_VIDEO_LADDER: "abc".*LECTERN_MAX_VIDEO_SECONDS.*MEDIACONVERT_ROLE_ARN.*MEDIACONVERT_ENDPOINT|MEDIACONVERT_ENDPOINT.*/);
    expect(parseConfig({}).video).toEqual(DEFAULT_VIDEO_CONFIG);
  });

  it("accepts only the AAC bitrates MediaConvert allows, naming them when one is not", () => {
    expect(() => parseVideoConfig({ LECTERN_AUDIO_LADDER: '128,100' })).toThrow(
      /LECTERN_AUDIO_LADDER: "100" is not an AAC bitrate MediaConvert accepts; use one of 16, 20, .*, 96, 112, 128, .*, 320 \(kbit\/s\)/,
    );
    expect(() => parseVideoConfig({ LECTERN_VIDEO_AUDIO_KBPS: '100' })).toThrow(/LECTERN_VIDEO_AUDIO_KBPS: "100" is not an AAC bitrate MediaConvert accepts/);
    expect(parseVideoConfig({ LECTERN_VIDEO_AUDIO_KBPS: '112', LECTERN_AUDIO_LADDER: '24,192' })).toMatchObject({ audioBitrate: 112_000, audioLadder: [{ bitrate: 192_000 }, { bitrate: 24_000 }] });
  });

  it("keeps its AAC bitrates within the set the MediaConvert API model documents, and the defaults within it", () => {
    const model = loadSmithyModel(AWS_MODEL_FILES.mediaconvert);
    const documentation = String(model.shapes['com.amazonaws.mediaconvert#AacSettings']?.members?.Bitrate?.traits?.['smithy.api#documentation']);
    const documented = /valid values for this setting is: ([\d, ]+)\./.exec(documentation)?.[1]?.split(',').map((value) => Number(value.trim()) / 1000);
    expect(documented?.length).toBeGreaterThan(10);
    for (const kbps of AAC_BITRATES_KBPS) expect(documented, `${kbps}`).toContain(kbps);
    for (const bitrate of [DEFAULT_VIDEO_CONFIG.audioBitrate, ...DEFAULT_VIDEO_CONFIG.audioLadder.map((rung) => rung.bitrate)]) expect(AAC_BITRATES_KBPS).toContain(bitrate / 1000);
  });

  it('takes the MediaInfo WebAssembly from LECTERN_MEDIAINFO_WASM (the Lambda layer), an absolute .wasm path', () => {
    expect(parseVideoConfig({ LECTERN_MEDIAINFO_WASM: '/opt/MediaInfoModule.wasm' }).mediainfoWasm).toBe('/opt/MediaInfoModule.wasm');
    expect(parseVideoConfig({}).mediainfoWasm).toBeUndefined();
    expect(() => parseVideoConfig({ LECTERN_MEDIAINFO_WASM: 'MediaInfoModule.wasm' })).toThrow(/LECTERN_MEDIAINFO_WASM must be the absolute path of a \.wasm file \(got "MediaInfoModule\.wasm"\)/);
  });
});
