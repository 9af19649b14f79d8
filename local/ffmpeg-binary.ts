/** Finding and asking the ffmpeg binary (Debian's package, or LECTERN_FFMPEG). */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const FFMPEG_INSTALL_HINT =
  'The local transcoder (the twin of AWS MediaConvert) needs ffmpeg, which is not installed here. Install it — `apt-get install ffmpeg` on Debian/Ubuntu, `brew install ffmpeg` on macOS — or point LECTERN_FFMPEG at an ffmpeg binary, then run again.';

/** Duration of a media file in seconds (ffprobe beside ffmpeg), or undefined when unreadable. */
export function probeDuration(ffmpeg: string, file: string): number | undefined {
  const ffprobe = path.join(path.dirname(ffmpeg), 'ffprobe');
  const result = spawnSync(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file], { encoding: 'utf8' });
  if (!result.error) {
    const seconds = Number.parseFloat(result.stdout);
    return result.status === 0 && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  }
  // No ffprobe beside ffmpeg: read the duration ffmpeg prints for its input.
  const info = spawnSync(ffmpeg, ['-hide_banner', '-i', file], { encoding: 'utf8' });
  const match = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(info.stderr ?? '');
  if (!match) return undefined;
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  return seconds > 0 ? seconds : undefined;
}

/** The source's video frame rate (ffprobe's r_frame_rate), or undefined (no video, no ffprobe). */
export function probeFrameRate(ffmpeg: string, file: string): number | undefined {
  const ffprobe = path.join(path.dirname(ffmpeg), 'ffprobe');
  const result = spawnSync(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate', '-of', 'default=nw=1:nk=1', file], { encoding: 'utf8' });
  const match = /^(\d+)(?:\/(\d+))?/.exec(result.stdout ?? '');
  if (result.error || result.status !== 0 || !match) return undefined;
  const rate = Number(match[1]) / Number(match[2] ?? 1);
  return Number.isFinite(rate) && rate > 0 ? rate : undefined;
}

/**
 * ffmpeg: the binary named (option, else `LECTERN_FFMPEG`) — only that one —, or the first
 * `ffmpeg` on the PATH that answers `-version`.
 */
export function locateFfmpeg(explicit?: string): string | undefined {
  const named = explicit ?? process.env.LECTERN_FFMPEG;
  const candidates = named ? [named] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'ffmpeg'));
  for (const candidate of [...new Set(candidates)]) {
    const result = spawnSync(candidate, ['-hide_banner', '-version'], { encoding: 'utf8' });
    if (result.status === 0 && /ffmpeg version/.test(result.stdout)) return candidate;
  }
  return undefined;
}
