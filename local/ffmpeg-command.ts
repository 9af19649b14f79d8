/**
 * The ffmpeg twin's compiler: a planned MediaConvert job's settings → one ffmpeg command line and
 * the files it will write, per output group. Pure (no process, no file system): what the twin runs
 * is decided here, and `tests/unit/video/ffmpeg-command.test.ts` checks it on every planned job.
 *
 * Supported subset (what `planTranscode` uses): HLS groups of H.264 renditions (Width/Height,
 * QVBR → CRF and MaxBitrate → maxrate, GOP in seconds → forced key frames, CodecLevel AUTO → the
 * lowest level of H.264's Table A-1 that holds the frame size, rate and bitrate, encoded and
 * declared in CODECS alike) with AAC muxed in,
 * audio-only renditions and WebVTT subtitle outputs (written afterwards, see `ffmpeg-hls.ts`);
 * file groups of MP4/M4A and FRAME_CAPTURE outputs. Anything else is refused with a clear error.
 */
import path from 'node:path';
import type { JsonObject } from '../shared/video/mediaconvert-settings.js';
import { InternalError } from '../shared/contract/errors.js';

export interface PlannedFile {
  file: string;
  pattern?: RegExp;
  width?: number;
  height?: number;
  bandwidth?: number;
  codecs?: string;
  captions?: { selector: string; label: string; language?: string };
  audioOnly?: boolean;
}

export interface PlannedGroup {
  type: 'HLS' | 'FILE';
  destination: string;
  dir: string;
  base: string;
  segmentSeconds: number;
  outputs: PlannedFile[];
}

export interface CommandPlan {
  args: string[];
  dirs: string[];
  groups: PlannedGroup[];
  hlsGroups: PlannedGroup[];
  duration: number;
}

/** MediaConvert QVBR quality 1–10 → x264 CRF (7 ≈ 23, x264's default; 10 ≈ 17; 1 ≈ 35). */
export function qvbrToCrf(quality: number): number {
  return Math.max(0, Math.min(51, 37 - 2 * quality));
}

/** Frame-capture Quality 1–100 → MJPEG qscale 2 (best) … 31. */
function jpegQuality(quality: number): number {
  return Math.round(2 + ((100 - Math.max(1, Math.min(100, quality))) * 29) / 99);
}

/** H.264 Table A-1: level, max macroblocks per second, max frame size in macroblocks, max bitrate (kbit/s, Baseline/Main). */
const H264_LEVELS: ReadonlyArray<readonly [string, number, number, number]> = [
  ['1', 1485, 99, 64],
  ['1.1', 3000, 396, 192],
  ['1.2', 6000, 396, 384],
  ['1.3', 11880, 396, 768],
  ['2', 11880, 396, 2000],
  ['2.1', 19800, 792, 4000],
  ['2.2', 20250, 1620, 4000],
  ['3', 40500, 1620, 10000],
  ['3.1', 108000, 3600, 14000],
  ['3.2', 216000, 5120, 20000],
  ['4', 245760, 8192, 20000],
  ['4.1', 245760, 8192, 50000],
  ['4.2', 522240, 8704, 50000],
  ['5', 589824, 22080, 135000],
  ['5.1', 983040, 36864, 240000],
  ['5.2', 2073600, 36864, 240000],
  ['6', 4177920, 139264, 240000],
  ['6.1', 8355840, 139264, 480000],
  ['6.2', 16711680, 139264, 800000],
];

/**
 * The lowest H.264 level for a frame size, frame rate and peak bitrate (bit/s), as MediaConvert's
 * CodecLevel AUTO picks it; `idc` is level × 10, the last byte of an `avc1` CODECS string.
 */
export function h264Level(width: number, height: number, frameRate: number, maxBitrate: number, profile: 'baseline' | 'main' | 'high'): { level: string; idc: number } {
  const frameMbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const kbps = maxBitrate / 1000 / (profile === 'high' ? 1.25 : 1);
  const found = H264_LEVELS.find(([, mbps, fs, br]) => frameMbs <= fs && frameMbs * frameRate <= mbps && kbps <= br) ?? H264_LEVELS[H264_LEVELS.length - 1]!;
  return { level: found[0], idc: Math.round(Number(found[0]) * 10) };
}

/** RFC 6381 `avc1.PPCCLL`: profile_idc, constraint flags, level_idc. */
export function avc1Codecs(profile: 'baseline' | 'main' | 'high', idc: number): string {
  const head = profile === 'high' ? '6400' : profile === 'main' ? '4d40' : '42e0';
  return `avc1.${head}${idc.toString(16).padStart(2, '0')}`;
}

export function buildCommand(settings: JsonObject, inputFile: string, outDir: string, options: { preset: string; duration: number; frameRate?: number }): CommandPlan {
  const args = ['-i', inputFile];
  const groups: PlannedGroup[] = [];
  const input = settings.Inputs[0] as JsonObject;
  const hasAudioSelector = Object.keys((input.AudioSelectors ?? {}) as object).length > 0;
  (settings.OutputGroups as JsonObject[]).forEach((group, groupIndex) => {
    const type = group.OutputGroupSettings?.Type as string;
    const hls = type === 'HLS_GROUP_SETTINGS';
    if (!hls && type !== 'FILE_GROUP_SETTINGS') throw new InternalError(`The local transcoder does not support ${type} output groups.`, { code: 'transcoder.unsupported-setting' });
    const destination = (hls ? group.OutputGroupSettings.HlsGroupSettings?.Destination : group.OutputGroupSettings.FileGroupSettings?.Destination) as string;
    const base = destination.slice(destination.lastIndexOf('/') + 1) || 'output';
    const dir = path.join(outDir, `group-${groupIndex}`);
    const segmentSeconds = Number(group.OutputGroupSettings.HlsGroupSettings?.SegmentLength ?? 10);
    const planned: PlannedGroup = { type: hls ? 'HLS' : 'FILE', destination, dir, base, segmentSeconds, outputs: [] };
    for (const output of group.Outputs as JsonObject[]) {
      const name = `${base}${output.NameModifier ?? ''}`;
      const video = output.VideoDescription as JsonObject | undefined;
      const codec = video?.CodecSettings?.Codec as string | undefined;
      const audio = (output.AudioDescriptions as JsonObject[] | undefined)?.[0];
      const captions = (output.CaptionDescriptions as JsonObject[] | undefined)?.[0];
      if (captions) {
        // Subtitle renditions are written after the encode, from the sidecar caption file.
        planned.outputs.push({
          file: `${name}.m3u8`,
          captions: {
            selector: captions.CaptionSelectorName as string,
            label: (captions.LanguageDescription as string | undefined) ?? 'Captions',
            ...(captions.CustomLanguageCode ? { language: captions.CustomLanguageCode as string } : {}),
          },
        });
        continue;
      }
      if (codec === 'FRAME_CAPTURE') {
        const fc = video?.CodecSettings.FrameCaptureSettings as JsonObject;
        const every = Number(fc.FramerateDenominator ?? 1) / Number(fc.FramerateNumerator ?? 1);
        args.push(
          '-map', '0:v:0',
          '-vf', `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${every})',scale=${video?.Width}:${video?.Height},setsar=1`,
          '-fps_mode', 'vfr',
          '-frames:v', String(fc.MaxCaptures ?? 1),
          '-pix_fmt', 'yuvj420p',
          '-q:v', String(jpegQuality(Number(fc.Quality ?? 80))),
          '-start_number', '0',
          '-f', 'image2',
          path.join(dir, `${name}.%07d.jpg`),
        );
        planned.outputs.push({ file: `${name}.0000000.jpg`, pattern: new RegExp(`^${escapeRegExp(name)}\\.\\d{7}\\.jpg$`), width: video?.Width, height: video?.Height });
        continue;
      }
      const encode: string[] = [];
      let codecs: string[] = [];
      let bandwidth = 0;
      if (video) {
        if (codec !== 'H_264') throw new InternalError(`The local transcoder does not support ${codec} video.`, { code: 'transcoder.unsupported-setting' });
        const h264 = video.CodecSettings.H264Settings as JsonObject;
        const gop = h264.GopSizeUnits === 'SECONDS' ? Number(h264.GopSize ?? 2) : 2;
        const profile = h264.CodecProfile === 'MAIN' ? 'main' : h264.CodecProfile === 'BASELINE' ? 'baseline' : 'high';
        const peak = Number(h264.RateControlMode === 'QVBR' ? (h264.MaxBitrate ?? 5_000_000) : (h264.Bitrate ?? h264.MaxBitrate ?? 5_000_000));
        // FramerateControl INITIALIZE_FROM_SOURCE: the source's rate (30 when it cannot be read).
        const level = h264Level(Number(video.Width), Number(video.Height), options.frameRate ?? 30, peak, profile);
        encode.push(
          '-map', '0:v:0',
          '-vf', `scale=${video.Width}:${video.Height},setsar=1`,
          '-c:v', 'libx264',
          '-preset', options.preset,
          '-profile:v', profile,
          '-level:v', level.level,
          '-pix_fmt', 'yuv420p',
          '-force_key_frames', `expr:gte(t,n_forced*${gop})`,
          '-sc_threshold', '0',
        );
        if (h264.RateControlMode === 'QVBR') {
          const max = Number(h264.MaxBitrate ?? 5_000_000);
          encode.push('-crf', String(qvbrToCrf(Number(h264.QvbrSettings?.QvbrQualityLevel ?? 7))), '-maxrate', String(max), '-bufsize', String(max * 2));
          bandwidth += max;
        } else {
          const bitrate = Number(h264.Bitrate ?? h264.MaxBitrate ?? 5_000_000);
          encode.push('-b:v', String(bitrate));
          bandwidth += bitrate;
        }
        codecs.push(avc1Codecs(profile, level.idc));
      } else {
        encode.push('-vn');
      }
      if (audio && hasAudioSelector) {
        const aac = audio.CodecSettings?.AacSettings as JsonObject;
        if (audio.CodecSettings?.Codec !== 'AAC') throw new InternalError(`The local transcoder does not support ${audio.CodecSettings?.Codec} audio.`, { code: 'transcoder.unsupported-setting' });
        encode.push(
          '-map', '0:a:0',
          '-c:a', 'aac',
          '-b:a', String(aac.Bitrate ?? 96000),
          '-ar', String(aac.SampleRate ?? 48000),
          '-ac', aac.CodingMode === 'CODING_MODE_1_0' ? '1' : '2',
        );
        bandwidth += Number(aac.Bitrate ?? 96000);
        codecs.push('mp4a.40.2');
      } else {
        encode.push('-an');
      }
      if (!video && !(audio && hasAudioSelector)) throw new InternalError(`Output ${name} has neither video nor audio.`);
      if (hls) {
        encode.push(
          '-f', 'hls',
          '-hls_time', String(segmentSeconds),
          '-hls_playlist_type', 'vod',
          '-hls_flags', 'independent_segments',
          '-start_number', '1',
          '-hls_segment_filename', path.join(dir, `${name}_%05d.ts`),
          path.join(dir, `${name}.m3u8`),
        );
        planned.outputs.push({ file: `${name}.m3u8`, width: video?.Width, height: video?.Height, bandwidth, codecs: codecs.join(','), audioOnly: !video });
      } else {
        const extension = (output.Extension as string | undefined) ?? (video ? 'mp4' : 'm4a');
        encode.push('-movflags', '+faststart', '-f', 'mp4', path.join(dir, `${name}.${extension}`));
        planned.outputs.push({ file: `${name}.${extension}`, width: video?.Width, height: video?.Height });
      }
      codecs = [];
      args.push(...encode);
    }
    groups.push(planned);
  });
  return {
    args,
    dirs: groups.map((g) => g.dir),
    groups,
    hlsGroups: groups.filter((g) => g.type === 'HLS'),
    duration: options.duration,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
