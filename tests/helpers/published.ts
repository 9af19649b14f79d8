/** Reading what a stack published, as a student's player would: by URL, as text, through HLS. */
import type { ObjectStore } from '../../shared/ports/object-store.js';
import { parseMasterPlaylist, parseMediaPlaylist, resolveKey, type MasterPlaylist } from '../../shared/video/hls-playlist.js';

/** The published bucket's key behind a CDN URL. */
export const publishedKey = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/** A published object as UTF-8 text (it must exist). */
export async function publishedText(published: ObjectStore, key: string): Promise<string> {
  const bytes = await published.get(key);
  if (!bytes) throw new Error(`nothing published at ${key}`);
  return new TextDecoder().decode(bytes);
}

export interface SubtitleTrack {
  name: string;
  language?: string;
  /** The first segment's WebVTT (the whole track for a lecture this short). */
  vtt: string;
  /** The subtitle playlist's duration. */
  seconds: number;
}

/** The master playlist behind `masterUrl` and its subtitle renditions, each read through its playlist. */
export async function subtitleTracks(published: ObjectStore, masterUrl: string): Promise<{ master: MasterPlaylist; tracks: SubtitleTrack[] }> {
  const masterKey = publishedKey(masterUrl);
  const master = parseMasterPlaylist(await publishedText(published, masterKey));
  const tracks: SubtitleTrack[] = [];
  for (const rendition of master.renditions.filter((r) => r.type === 'SUBTITLES')) {
    const playlistKey = resolveKey(masterKey, rendition.uri!);
    const playlist = parseMediaPlaylist(await publishedText(published, playlistKey));
    const vtt = await publishedText(published, resolveKey(playlistKey, playlist.segments[0]!.uri));
    tracks.push({ name: rendition.name, ...(rendition.language ? { language: rendition.language } : {}), vtt, seconds: playlist.duration });
  }
  return { master, tracks };
}
