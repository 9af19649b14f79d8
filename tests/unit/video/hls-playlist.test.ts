import { describe, expect, it } from 'vitest';
import { HlsParseError, parseAttributes, parseMasterPlaylist, parseMediaPlaylist, resolveKey, writeMasterPlaylist } from '../../../shared/video/hls-playlist.js';

const MASTER = `#EXTM3U
#EXT-X-VERSION:4
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,URI="master_captions_en.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=3811000,AVERAGE-BANDWIDTH=2100000,CODECS="avc1.640028,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=29.970,SUBTITLES="subs"
master_720p.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=1100000,CODECS="avc1.4d401f,mp4a.40.2",RESOLUTION=640x360,SUBTITLES="subs"
master_360p.m3u8
`;

const MEDIA = `#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:6
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-PLAYLIST-TYPE:VOD
#EXTINF:6.006,
master_720p_00001.ts
#EXTINF:6.006,
master_720p_00002.ts
#EXTINF:1.5,
master_720p_00003.ts
#EXT-X-ENDLIST
`;

describe('HLS playlists', () => {
  it('parses a master playlist with variants and subtitle renditions', () => {
    const master = parseMasterPlaylist(MASTER);
    expect(master.version).toBe(4);
    expect(master.variants).toEqual([
      { uri: 'master_720p.m3u8', bandwidth: 3811000, averageBandwidth: 2100000, codecs: 'avc1.640028,mp4a.40.2', resolution: { width: 1280, height: 720 }, frameRate: 29.97, subtitles: 'subs' },
      { uri: 'master_360p.m3u8', bandwidth: 1100000, codecs: 'avc1.4d401f,mp4a.40.2', resolution: { width: 640, height: 360 }, subtitles: 'subs' },
    ]);
    expect(master.renditions).toEqual([{ type: 'SUBTITLES', groupId: 'subs', name: 'English', language: 'en', uri: 'master_captions_en.m3u8', default: true, autoselect: true }]);
  });

  it('round-trips what it writes', () => {
    const master = parseMasterPlaylist(MASTER);
    expect(parseMasterPlaylist(writeMasterPlaylist(master))).toEqual({ ...master, version: 4 });
  });

  it('parses a media playlist and sums its duration', () => {
    const media = parseMediaPlaylist(MEDIA);
    expect(media).toMatchObject({ targetDuration: 6, playlistType: 'VOD', endList: true, duration: 13.512 });
    expect(media.segments.map((s) => s.uri)).toEqual(['master_720p_00001.ts', 'master_720p_00002.ts', 'master_720p_00003.ts']);
  });

  it('rejects broken playlists with a reason', () => {
    const broken = [
      ['not a playlist', /first line is not #EXTM3U/],
      ['#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n', /without a URI/],
      ['#EXTM3U\nvariant.m3u8\n', /without #EXT-X-STREAM-INF/],
      ['#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\nv.m3u8\n', /no valid BANDWIDTH/],
      ['#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,SUBTITLES="x"\nv.m3u8\n', /missing group x/],
      ['#EXTM3U\n#EXT-X-VERSION:3\n', /no variant streams/],
      [MEDIA, /media playlist, not a master/],
    ] as const;
    for (const [text, message] of broken) expect(() => parseMasterPlaylist(text)).toThrow(message);
    expect(() => parseMediaPlaylist(MASTER)).toThrow(HlsParseError);
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXTINF:6,\na.ts\n')).toThrow(/TARGETDURATION is missing/);
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:6,\na.ts\n')).toThrow(/longer than/);
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n')).toThrow(/no segments/);
    expect(() => parseAttributes('BANDWIDTH=1,,X=2')).toThrow(HlsParseError);
  });

  it('resolves relative URIs against the playlist key, and refuses absolute ones', () => {
    expect(resolveKey('c/l/a.mp4/v/hls/master.m3u8', 'master_720p.m3u8')).toBe('c/l/a.mp4/v/hls/master_720p.m3u8');
    expect(resolveKey('c/l/a.mp4/v/hls/master.m3u8', '../poster.jpg')).toBe('c/l/a.mp4/v/poster.jpg');
    expect(resolveKey('a/b.m3u8', 'x%20y.ts')).toBe('a/x y.ts');
    expect(() => resolveKey('a/b.m3u8', 'https://evil.example/x.ts')).toThrow(HlsParseError);
  });
});
