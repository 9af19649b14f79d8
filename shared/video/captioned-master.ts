/**
 * A video's HLS master with a different set of WebVTT subtitle renditions, written without
 * transcoding: the variants of the transcoded master stay as they are, its subtitle renditions are
 * replaced by one single-segment WebVTT playlist per caption file. Pure: text in, text out.
 *
 * A WebVTT segment in an HLS stream must say where its cue time 0 sits on the MPEG-2 transport
 * stream's clock (`X-TIMESTAMP-MAP`, RFC 8216 §3.5); `firstPts` reads it from the video's first
 * segment, so the cues line up with the picture whatever the encoder's start offset.
 */
import { writeMasterPlaylist, type MasterPlaylist } from './hls-playlist.js';

export interface SubtitleTrack {
  /** URI of the subtitle playlist, relative to the master. */
  uri: string;
  label: string;
  language?: string;
}

export const SUBTITLE_GROUP = 'subs';

/** The master `base` with exactly `tracks` as its subtitle renditions (none: no subtitle group). */
export function captionedMaster(base: MasterPlaylist, tracks: SubtitleTrack[]): string {
  const renditions = [
    ...base.renditions.filter((r) => r.type !== 'SUBTITLES'),
    ...tracks.map((t, index) => ({
      type: 'SUBTITLES' as const,
      groupId: SUBTITLE_GROUP,
      name: t.label,
      ...(t.language ? { language: t.language } : {}),
      uri: t.uri,
      default: index === 0,
      autoselect: true,
    })),
  ];
  const variants = base.variants.map(({ subtitles: _dropped, ...variant }) => ({ ...variant, ...(tracks.length > 0 ? { subtitles: SUBTITLE_GROUP } : {}) }));
  return writeMasterPlaylist({ ...(base.version ? { version: base.version } : {}), variants, renditions });
}

/** A subtitle media playlist of one WebVTT segment spanning the whole video. */
export function subtitlePlaylist(segmentUri: string, durationSeconds: number): string {
  const seconds = Math.max(durationSeconds, 0.001);
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(seconds))}`,
    '#EXT-X-MEDIA-SEQUENCE:1',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXTINF:${seconds.toFixed(3)},`,
    segmentUri,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}

/** A WebVTT file whose cue time 0 is the transport stream's `mpegTs` (90 kHz ticks). */
export function withTimestampMap(vtt: string, mpegTs: number): string {
  const lines = vtt.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const header = lines.findIndex((l) => l === '');
  const head = (header < 0 ? lines : lines.slice(0, header)).filter((l) => !l.startsWith('X-TIMESTAMP-MAP='));
  const rest = header < 0 ? [] : lines.slice(header);
  return [...head.slice(0, 1), `X-TIMESTAMP-MAP=MPEGTS:${mpegTs},LOCAL:00:00:00.000`, ...head.slice(1), ...rest].join('\n');
}

const PACKET = 188;

/**
 * The earliest presentation time stamp (90 kHz ticks) of the PES packets that start in `ts` (the
 * head of an MPEG-2 transport stream segment), or undefined when it holds none. The earliest of
 * audio and video is what players take as the stream's start.
 */
export function firstPts(ts: Uint8Array): number | undefined {
  let earliest: number | undefined;
  for (let at = 0; at + PACKET <= ts.length; at += PACKET) {
    if (ts[at] !== 0x47) return earliest;
    const payloadStart = ((ts[at + 1] as number) & 0x40) !== 0;
    const adaptation = ((ts[at + 3] as number) >> 4) & 0x3;
    if (!payloadStart || (adaptation & 0x1) === 0) continue;
    const offset = at + 4 + (adaptation & 0x2 ? 1 + (ts[at + 4] as number) : 0);
    if (offset + 14 > at + PACKET || ts[offset] !== 0 || ts[offset + 1] !== 0 || ts[offset + 2] !== 1) continue;
    if (((ts[offset + 7] as number) & 0x80) === 0) continue; // no PTS
    const p = (i: number) => ts[offset + 9 + i] as number;
    const pts = ((p(0) >> 1) & 0x7) * 2 ** 30 + p(1) * 2 ** 22 + (p(2) >> 1) * 2 ** 15 + p(3) * 2 ** 7 + (p(4) >> 1);
    if (earliest === undefined || pts < earliest) earliest = pts;
  }
  return earliest;
}
