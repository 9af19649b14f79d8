/**
 * Is a probed media file something lectern can transcode, and is it video or audio? Pure: the
 * probe is read elsewhere (`probe-media.ts`); this decides, with a reason an educator can act on.
 */
import type { Reason } from '../contract/errors.js';
import type { MediaProbe } from './probe-media.js';

/** What the planner needs to know about a source; also kept in the asset's metadata. */
export interface MediaSummary {
  kind: 'video' | 'audio';
  container: string;
  durationSeconds: number;
  /** Display size (rotation and pixel aspect applied); video only. */
  width?: number;
  height?: number;
  /** Rotation the container asks for, clockwise degrees. */
  rotation?: number;
  frameRate?: number;
  videoCodec?: string;
  hasAudio: boolean;
  audioCodec?: string;
  audioChannels?: number;
}

export interface ProbeVerdict {
  accepted: boolean;
  kind: 'video' | 'audio';
  /** Short container name for the report: mp4, mov, mkv, webm, mp3, wav, … */
  format?: string;
  reasons: Reason[];
  warnings: Reason[];
  media?: MediaSummary;
}

export interface ProbeContext {
  fileName: string;
  /** The kind the extension suggests (ClassifyUpload). */
  declaredKind: 'video' | 'audio';
  maxDurationSeconds: number;
}

/** MediaConvert's smallest frame is 32x32. */
export const MIN_SIDE = 32;
export const MAX_SIDE = 8192;

/** `probe` undefined: the parser could not read the file at all. */
export function judgeProbe(probe: MediaProbe | undefined, context: ProbeContext): ProbeVerdict {
  const { fileName, declaredKind } = context;
  const what = declaredKind === 'audio' ? 'an audio file' : 'a video';
  const code = (name: string) => `${declaredKind}.${name}`;
  const reject = (name: string, message: string, format?: string): ProbeVerdict => ({
    accepted: false,
    kind: declaredKind,
    ...(format ? { format } : {}),
    reasons: [{ code: code(name), message }],
    warnings: [],
  });
  const exportHint = declaredKind === 'audio' ? 'Export it again (MP3, M4A or WAV)' : 'Export it again (an H.264/AAC MP4 plays everywhere)';

  if (probe && probe.fileSize === 0) {
    return reject('empty', `"${fileName}" is empty (0 bytes). Upload the file again; the first upload may have been interrupted.`);
  }
  const hasVideo = probe?.video !== undefined;
  const hasAudio = (probe?.audio.length ?? 0) > 0;
  if (!probe || !probe.container || (probe.container === 'Unknown' && !hasVideo && !hasAudio)) {
    return reject(
      'unreadable',
      `lectern could not read "${fileName}" as ${what}: the file is damaged, incomplete or not a media file. ${exportHint} and upload it again.`,
    );
  }
  if (probe.truncated) {
    // The data cannot cover what the container declares: transcoding it would fail or play short.
    const { expectedBytes } = probe.truncated;
    const share = expectedBytes ? ` holds ${formatBytesShort(probe.fileSize)} of the ${formatBytesShort(expectedBytes)} it declares (${Math.floor((probe.fileSize / expectedBytes) * 100)} %):` : '';
    return reject(
      'unreadable',
      `"${fileName}" is incomplete: it${share || ' ends before the data its container declares:'} the upload or the export was cut short. ${exportHint} and upload the whole file again.`,
      shortFormat(probe.container, probe.containerProfile, fileName),
    );
  }
  const format = shortFormat(probe.container, probe.containerProfile, fileName);
  if (!hasVideo && !hasAudio) {
    return reject('no-streams', `"${fileName}" (${probe.container}) has neither a video nor an audio track, so there is nothing to play. ${exportHint} with its picture and sound.`, format);
  }
  const duration = probe.durationSeconds ?? 0;
  if (!(duration > 0)) {
    return reject('empty', `"${fileName}" contains no playable media (its duration is 0). ${exportHint} and upload it again.`, format);
  }
  if (duration > context.maxDurationSeconds) {
    return reject(
      'too-long',
      `"${fileName}" is ${formatDuration(duration)} long; lecture ${declaredKind === 'audio' ? 'recordings' : 'videos'} may be at most ${formatDuration(context.maxDurationSeconds)}. Split it into shorter parts and upload those.`,
      format,
    );
  }
  const video = probe.video;
  if (video && Math.min(video.displayWidth, video.displayHeight) < MIN_SIDE) {
    return reject('too-small', `"${fileName}" is only ${video.displayWidth}x${video.displayHeight} pixels; videos must be at least ${MIN_SIDE} pixels on each side. Export it at a larger size.`, format);
  }
  if (video && Math.max(video.displayWidth, video.displayHeight) > MAX_SIDE) {
    return reject('too-large-frame', `"${fileName}" is ${video.displayWidth}x${video.displayHeight} pixels; the largest supported frame is ${MAX_SIDE} pixels on a side. Export it at 4K (3840x2160) or smaller.`, format);
  }

  const warnings: Reason[] = [];
  const kind: 'video' | 'audio' = video ? 'video' : 'audio';
  if (video && !hasAudio) {
    warnings.push({ code: 'video.no-audio', message: `"${fileName}" has no sound track; it is published as a silent video.` });
  }
  if (!video && declaredKind === 'video') {
    warnings.push({ code: 'video.audio-only', message: `"${fileName}" has no picture, only sound; it is published as audio.` });
  }
  if (probe.videoTrackCount > 1) {
    warnings.push({ code: 'video.extra-video-tracks', message: `"${fileName}" has ${probe.videoTrackCount} video tracks; only the first is published.` });
  }
  const firstAudio = probe.audio[0];
  const media: MediaSummary = {
    kind,
    container: probe.container,
    durationSeconds: round3(duration),
    ...(video
      ? {
          width: video.displayWidth,
          height: video.displayHeight,
          rotation: video.rotation,
          ...(video.frameRate ? { frameRate: round3(video.frameRate) } : {}),
          videoCodec: video.codec,
        }
      : {}),
    hasAudio,
    ...(firstAudio ? { audioCodec: firstAudio.codec, ...(firstAudio.channels ? { audioChannels: firstAudio.channels } : {}) } : {}),
  };
  return { accepted: true, kind, format, reasons: [], warnings, media };
}

/** `850 KB`, `12.3 MB`: sizes as educators read them. */
function formatBytesShort(bytes: number): string {
  if (bytes < 1000 * 1000) return `${Math.max(1, Math.round(bytes / 1000))} KB`;
  if (bytes < 1000 * 1000 * 1000) return `${Number((bytes / 1e6).toFixed(1))} MB`;
  return `${Number((bytes / 1e9).toFixed(2))} GB`;
}

/** `1 h 05 min`, `4 min 10 s`, `0.5 s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(1))} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min${s ? ` ${s} s` : ''}`;
}

function shortFormat(container: string, profile: string | undefined, fileName: string): string {
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  switch (container) {
    case 'MPEG-4':
      return profile === 'QuickTime' ? 'mov' : ['m4a', 'm4v', 'mov'].includes(extension) ? extension : 'mp4';
    case 'Matroska':
      return 'mkv';
    case 'WebM':
      return 'webm';
    case 'Wave':
      return 'wav';
    case 'MPEG Audio':
      return 'mp3';
    default:
      return container.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
