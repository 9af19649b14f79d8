/**
 * HLS playlists (RFC 8216), as far as lectern needs them: parse a master playlist (variants and
 * subtitle/audio renditions) and a media playlist (segments, durations, end list), strictly
 * enough to tell a broken one from a good one; and write a master playlist (the ffmpeg twin).
 */
import { LecternError } from '../contract/errors.js';

export interface HlsVariant {
  uri: string;
  bandwidth: number;
  averageBandwidth?: number;
  resolution?: { width: number; height: number };
  codecs?: string;
  frameRate?: number;
  subtitles?: string;
  audio?: string;
}

export interface HlsRendition {
  type: 'AUDIO' | 'VIDEO' | 'SUBTITLES' | 'CLOSED-CAPTIONS';
  groupId: string;
  name: string;
  language?: string;
  uri?: string;
  default?: boolean;
  autoselect?: boolean;
}

export interface MasterPlaylist {
  version?: number;
  variants: HlsVariant[];
  renditions: HlsRendition[];
}

export interface MediaSegment {
  uri: string;
  duration: number;
}

export interface MediaPlaylist {
  version?: number;
  targetDuration: number;
  playlistType?: string;
  segments: MediaSegment[];
  endList: boolean;
  /** Sum of the segment durations, seconds. */
  duration: number;
}

export class HlsParseError extends LecternError {
  readonly code = 'hls.unparsable';
  constructor(message: string) {
    super(message);
    this.name = 'HlsParseError';
  }
}

/** Attribute list: `BANDWIDTH=1,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"`. */
export function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([A-Z0-9-]+)=("[^"]*"|[^,]*)(?:,|$)/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(text)) !== null) {
    if (match.index !== consumed) throw new HlsParseError(`malformed attribute list: ${text}`);
    const [, name, raw] = match as unknown as [string, string, string];
    attributes[name] = raw.startsWith('"') ? raw.slice(1, -1) : raw;
    consumed = pattern.lastIndex;
    if (consumed >= text.length) break;
  }
  if (consumed < text.length) throw new HlsParseError(`malformed attribute list: ${text}`);
  return attributes;
}

function lines(text: string): string[] {
  const all = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  if (all[0] !== '#EXTM3U') throw new HlsParseError('not an HLS playlist: the first line is not #EXTM3U');
  return all.filter((l) => l.length > 0);
}

export function parseMasterPlaylist(text: string): MasterPlaylist {
  const all = lines(text);
  if (all.some((l) => l.startsWith('#EXTINF'))) throw new HlsParseError('this is a media playlist, not a master playlist');
  const variants: HlsVariant[] = [];
  const renditions: HlsRendition[] = [];
  let version: number | undefined;
  let pending: Record<string, string> | undefined;
  for (const line of all.slice(1)) {
    if (line.startsWith('#EXT-X-VERSION:')) version = Number(line.slice(15));
    else if (line.startsWith('#EXT-X-STREAM-INF:')) {
      if (pending) throw new HlsParseError('#EXT-X-STREAM-INF without a URI line');
      pending = parseAttributes(line.slice(18));
    } else if (line.startsWith('#EXT-X-MEDIA:')) {
      const a = parseAttributes(line.slice(13));
      const type = a.TYPE as HlsRendition['type'];
      if (!['AUDIO', 'VIDEO', 'SUBTITLES', 'CLOSED-CAPTIONS'].includes(type) || !a['GROUP-ID'] || !a.NAME) {
        throw new HlsParseError(`#EXT-X-MEDIA needs TYPE, GROUP-ID and NAME: ${line}`);
      }
      renditions.push({
        type,
        groupId: a['GROUP-ID'],
        name: a.NAME,
        ...(a.LANGUAGE ? { language: a.LANGUAGE } : {}),
        ...(a.URI ? { uri: a.URI } : {}),
        ...(a.DEFAULT ? { default: a.DEFAULT === 'YES' } : {}),
        ...(a.AUTOSELECT ? { autoselect: a.AUTOSELECT === 'YES' } : {}),
      });
    } else if (!line.startsWith('#')) {
      if (!pending) throw new HlsParseError(`URI line without #EXT-X-STREAM-INF: ${line}`);
      const bandwidth = Number(pending.BANDWIDTH);
      if (!Number.isInteger(bandwidth) || bandwidth <= 0) throw new HlsParseError(`variant ${line} has no valid BANDWIDTH`);
      const resolution = pending.RESOLUTION ? /^(\d+)x(\d+)$/.exec(pending.RESOLUTION) : null;
      if (pending.RESOLUTION && !resolution) throw new HlsParseError(`variant ${line} has a malformed RESOLUTION ${pending.RESOLUTION}`);
      variants.push({
        uri: line,
        bandwidth,
        ...(pending['AVERAGE-BANDWIDTH'] ? { averageBandwidth: Number(pending['AVERAGE-BANDWIDTH']) } : {}),
        ...(resolution ? { resolution: { width: Number(resolution[1]), height: Number(resolution[2]) } } : {}),
        ...(pending.CODECS ? { codecs: pending.CODECS } : {}),
        ...(pending['FRAME-RATE'] ? { frameRate: Number(pending['FRAME-RATE']) } : {}),
        ...(pending.SUBTITLES ? { subtitles: pending.SUBTITLES } : {}),
        ...(pending.AUDIO ? { audio: pending.AUDIO } : {}),
      });
      pending = undefined;
    }
  }
  if (pending) throw new HlsParseError('#EXT-X-STREAM-INF without a URI line at the end');
  if (variants.length === 0) throw new HlsParseError('the master playlist has no variant streams');
  for (const variant of variants) {
    for (const group of [variant.subtitles, variant.audio].filter((g): g is string => g !== undefined)) {
      if (!renditions.some((r) => r.groupId === group)) throw new HlsParseError(`variant ${variant.uri} refers to the missing group ${group}`);
    }
  }
  return { ...(version ? { version } : {}), variants, renditions };
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const all = lines(text);
  let targetDuration: number | undefined;
  let version: number | undefined;
  let playlistType: string | undefined;
  let endList = false;
  let pendingDuration: number | undefined;
  const segments: MediaSegment[] = [];
  for (const line of all.slice(1)) {
    if (line.startsWith('#EXT-X-STREAM-INF')) throw new HlsParseError('this is a master playlist, not a media playlist');
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-VERSION:')) version = Number(line.slice(15));
    else if (line.startsWith('#EXT-X-PLAYLIST-TYPE:')) playlistType = line.slice(21);
    else if (line === '#EXT-X-ENDLIST') endList = true;
    else if (line.startsWith('#EXTINF:')) {
      const duration = Number.parseFloat(line.slice(8).split(',')[0] ?? '');
      if (!Number.isFinite(duration) || duration < 0) throw new HlsParseError(`malformed #EXTINF: ${line}`);
      pendingDuration = duration;
    } else if (!line.startsWith('#')) {
      if (pendingDuration === undefined) throw new HlsParseError(`segment ${line} has no #EXTINF`);
      segments.push({ uri: line, duration: pendingDuration });
      pendingDuration = undefined;
    }
  }
  if (targetDuration === undefined || !Number.isFinite(targetDuration)) throw new HlsParseError('#EXT-X-TARGETDURATION is missing');
  if (segments.length === 0) throw new HlsParseError('the media playlist has no segments');
  const tooLong = segments.find((s) => Math.round(s.duration) > targetDuration);
  if (tooLong) throw new HlsParseError(`segment ${tooLong.uri} (${tooLong.duration} s) is longer than #EXT-X-TARGETDURATION ${targetDuration}`);
  const duration = Math.round(segments.reduce((sum, s) => sum + s.duration, 0) * 1000) / 1000;
  return { ...(version ? { version } : {}), targetDuration, ...(playlistType ? { playlistType } : {}), segments, endList, duration };
}

/** Resolves a playlist URI against the key of the playlist that names it. */
export function resolveKey(playlistKey: string, uri: string): string {
  if (/^[a-z]+:\/\//i.test(uri) || uri.startsWith('/')) throw new HlsParseError(`absolute URI ${uri} in a published playlist`);
  const parts = playlistKey.split('/').slice(0, -1);
  for (const segment of uri.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.') parts.push(decodeURIComponent(segment));
  }
  return parts.join('/');
}

export function writeMasterPlaylist(master: MasterPlaylist): string {
  const out = ['#EXTM3U', `#EXT-X-VERSION:${master.version ?? 3}`, '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const r of master.renditions) {
    const attrs = [
      `TYPE=${r.type}`,
      `GROUP-ID="${r.groupId}"`,
      `NAME="${r.name}"`,
      ...(r.language ? [`LANGUAGE="${r.language}"`] : []),
      `DEFAULT=${r.default ? 'YES' : 'NO'}`,
      `AUTOSELECT=${r.autoselect === false ? 'NO' : 'YES'}`,
      ...(r.uri ? [`URI="${r.uri}"`] : []),
    ];
    out.push(`#EXT-X-MEDIA:${attrs.join(',')}`);
  }
  for (const v of master.variants) {
    const attrs = [
      `BANDWIDTH=${v.bandwidth}`,
      ...(v.averageBandwidth ? [`AVERAGE-BANDWIDTH=${v.averageBandwidth}`] : []),
      ...(v.codecs ? [`CODECS="${v.codecs}"`] : []),
      ...(v.resolution ? [`RESOLUTION=${v.resolution.width}x${v.resolution.height}`] : []),
      ...(v.frameRate ? [`FRAME-RATE=${v.frameRate.toFixed(3)}`] : []),
      ...(v.audio ? [`AUDIO="${v.audio}"`] : []),
      ...(v.subtitles ? [`SUBTITLES="${v.subtitles}"`] : []),
    ];
    out.push(`#EXT-X-STREAM-INF:${attrs.join(',')}`, v.uri);
  }
  return `${out.join('\n')}\n`;
}
