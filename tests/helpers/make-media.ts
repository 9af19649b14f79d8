/**
 * Media fixtures made in test setup with ffmpeg's lavfi test sources: tiny (≤ 320x240, ≤ 2 s) and
 * fast. `ffmpegAvailable` says whether the machine can make them; under CI=true a missing ffmpeg
 * is a failure, never a skip (see `requireFfmpeg`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { locateFfmpeg } from '../../local/ffmpeg-binary.js';

const run = promisify(execFile);

export const FFMPEG = locateFfmpeg();
export const ffmpegAvailable = FFMPEG !== undefined;

/** Fails under CI=true when ffmpeg is missing; elsewhere says why the media tests are skipped. */
export function requireFfmpeg(): boolean {
  if (ffmpegAvailable) return true;
  if (process.env.CI === 'true') throw new Error('ffmpeg is required for the video tests under CI=true (apt-get install ffmpeg).');
  console.warn('lectern tests: ffmpeg is not installed; the video tests do not run here (they do under CI=true).');
  return false;
}

export interface MediaOptions {
  /** Seconds. */
  duration?: number;
  width?: number;
  height?: number;
  rate?: number;
  /** A sine tone (default true for video). */
  audio?: boolean;
  /** Picture (default true). */
  video?: boolean;
  /** Display rotation metadata, degrees (90 → the picture is shown turned: portrait). */
  rotate?: number;
  /** Container by extension: mp4, mov, mkv, webm, m4a, mp3, wav. */
  format?: string;
}

/** Encodes a test pattern (and tone) with ffmpeg and returns the file's bytes. */
export async function makeMedia(options: MediaOptions = {}): Promise<Uint8Array> {
  const ffmpeg = FFMPEG;
  if (!ffmpeg) throw new Error('ffmpeg is not installed (apt-get install ffmpeg).');
  const duration = options.duration ?? 1;
  const format = options.format ?? 'mp4';
  const withVideo = options.video ?? !['m4a', 'mp3', 'wav'].includes(format);
  const withAudio = options.audio ?? true;
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-media-'));
  try {
    const file = path.join(dir, `media.${format}`);
    const args = ['-hide_banner', '-loglevel', 'error', '-y'];
    if (withVideo) args.push('-f', 'lavfi', '-i', `testsrc2=size=${options.width ?? 320}x${options.height ?? 240}:rate=${options.rate ?? 25}:duration=${duration}`);
    if (withAudio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${duration}`);
    if (withVideo) {
      if (format === 'webm') args.push('-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '300k');
      else args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
    }
    if (withAudio) {
      const codec = format === 'mp3' ? ['-c:a', 'libmp3lame', '-b:a', '64k'] : format === 'wav' ? ['-c:a', 'pcm_s16le'] : format === 'webm' ? ['-c:a', 'libvorbis'] : ['-c:a', 'aac', '-b:a', '64k'];
      args.push(...codec);
    }
    args.push('-t', String(duration), file);
    await run(ffmpeg, args);
    if (options.rotate) {
      // ffmpeg 5 keeps rotation metadata only when it copies the streams.
      const rotated = path.join(dir, `rotated.${format}`);
      await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', file, '-c', 'copy', '-metadata:s:v:0', `rotate=${options.rotate}`, rotated]);
      return new Uint8Array(await readFile(rotated));
    }
    return new Uint8Array(await readFile(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What ffprobe says about a file (`-show_streams -show_format`): stream kinds and sizes, durations, rotation. */
export interface FfprobeResult {
  streams: Array<{ codec_type: string; width?: number; height?: number; [field: string]: unknown }>;
  format: { duration?: string; start_time?: string; [field: string]: unknown };
}

export async function ffprobe(file: string): Promise<FfprobeResult> {
  const ffprobeBinary = FFMPEG ? path.join(path.dirname(FFMPEG), 'ffprobe') : 'ffprobe';
  const { stdout } = await run(ffprobeBinary, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], { maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout) as FfprobeResult;
}

/** An MP4 header (so it passes the magic-byte check) followed by garbage: a damaged upload. */
export function corruptMp4(size = 4096): Uint8Array {
  const bytes = new Uint8Array(size);
  let seed = 42;
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = seed & 0xff;
  }
  bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x69, 0x73, 0x6f, 0x32], 0);
  return bytes;
}

/** Random bytes with no media signature at all. */
export function randomBytesFile(size = 2048): Uint8Array {
  const bytes = new Uint8Array(size);
  let seed = 7;
  for (let i = 0; i < size; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    bytes[i] = (seed >>> 24) & 0xff;
  }
  bytes[0] = 0x8f; // not ID3, not an MP3 frame sync, not text
  bytes[1] = 0x00;
  return bytes;
}
