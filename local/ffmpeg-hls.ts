/**
 * The ffmpeg twin's HLS post-processing: after ffmpeg has written the rendition playlists and
 * segments of an HLS group, write what MediaConvert writes beside them — the master playlist
 * (bandwidth measured from the segments) and the WebVTT subtitle renditions from the sidecar
 * caption files.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseMediaPlaylist, writeMasterPlaylist, type HlsRendition, type HlsVariant } from '../shared/video/hls-playlist.js';
import type { PlannedFile, PlannedGroup } from './ffmpeg-command.js';
import { InternalError } from '../shared/contract/errors.js';

/** The master playlist (and subtitle playlists) of an HLS group, as MediaConvert writes them. */
export async function writeHlsExtras(group: PlannedGroup, captions: Map<string, string>, duration: number): Promise<void> {
  const renditions: HlsRendition[] = [];
  for (const output of group.outputs.filter((o) => o.captions)) {
    const c = output.captions as NonNullable<PlannedFile['captions']>;
    const source = captions.get(c.selector);
    if (!source) throw new InternalError(`No caption file for ${c.selector}.`);
    const stem = output.file.replace(/\.m3u8$/, '');
    const vtt = await toWebVtt(source);
    // TS segments start at PTS 1.4 s (ffmpeg's mpegts default): map cue time 0 to it.
    const body = vtt.replace(/^WEBVTT[^\n]*\n/, 'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n');
    await writeFile(path.join(group.dir, `${stem}_00001.vtt`), body);
    const target = Math.max(1, Math.ceil(duration));
    await writeFile(
      path.join(group.dir, output.file),
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:${target}\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:${duration.toFixed(3)},\n${stem}_00001.vtt\n#EXT-X-ENDLIST\n`,
    );
    renditions.push({ type: 'SUBTITLES', groupId: 'subs', name: c.label, ...(c.language ? { language: c.language } : {}), uri: output.file, default: renditions.length === 0, autoselect: true });
  }
  const variants: HlsVariant[] = [];
  for (const output of group.outputs.filter((o) => !o.captions)) {
    const peak = await peakBandwidth(group.dir, output.file);
    variants.push({
      uri: output.file,
      bandwidth: Math.max(peak, 1),
      averageBandwidth: Math.max(1, Math.round(await averageBandwidth(group.dir, output.file))),
      ...(output.codecs ? { codecs: output.codecs } : {}),
      ...(output.width && output.height ? { resolution: { width: output.width, height: output.height } } : {}),
      ...(renditions.length > 0 ? { subtitles: 'subs' } : {}),
    });
  }
  variants.sort((a, b) => b.bandwidth - a.bandwidth);
  await writeFile(path.join(group.dir, `${group.base}.m3u8`), writeMasterPlaylist({ version: 3, variants, renditions }));
}

async function segmentStats(dir: string, playlistFile: string): Promise<Array<{ bits: number; seconds: number }>> {
  const playlist = parseMediaPlaylist(await readFile(path.join(dir, playlistFile), 'utf8'));
  return Promise.all(playlist.segments.map(async (s) => ({ bits: (await stat(path.join(dir, s.uri))).size * 8, seconds: Math.max(s.duration, 0.001) })));
}

async function peakBandwidth(dir: string, playlistFile: string): Promise<number> {
  return measurePeakBandwidth(await segmentStats(dir, playlistFile));
}

/**
 * BANDWIDTH: the highest bit rate of any segment, measured per segment as MediaConvert does — but
 * not the short last one, whose few frames (and container overhead) over a fraction of a second
 * would inflate it; a single segment is all there is.
 */
export function measurePeakBandwidth(segments: ReadonlyArray<{ bits: number; seconds: number }>): number {
  const last = segments[segments.length - 1];
  const others = segments.slice(0, -1);
  const short = last !== undefined && others.length > 0 && last.seconds < Math.max(...others.map((s) => s.seconds)) - 0.001;
  const full = short ? others : segments;
  return Math.round(Math.max(0, ...full.map((s) => s.bits / Math.max(s.seconds, 0.001))));
}

async function averageBandwidth(dir: string, playlistFile: string): Promise<number> {
  const stats = await segmentStats(dir, playlistFile);
  return stats.reduce((n, s) => n + s.bits, 0) / stats.reduce((n, s) => n + s.seconds, 0);
}

export async function playlistDuration(file: string): Promise<number> {
  return parseMediaPlaylist(await readFile(file, 'utf8')).duration;
}

async function toWebVtt(file: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  if (/\.srt$/i.test(file)) {
    // SRT → WebVTT: a header, and decimal points in the timings.
    return `WEBVTT\n\n${text.replace(/\r\n/g, '\n').replace(/(\d{2}:\d{2}:\d{2}),(\d{3})/g, '$1.$2')}`;
  }
  return text.replace(/\r\n/g, '\n');
}
