import { describe, expect, it } from 'vitest';
import { captionedMaster, firstPts, subtitlePlaylist, withTimestampMap } from '../../../shared/video/captioned-master.js';
import { parseMasterPlaylist, parseMediaPlaylist } from '../../../shared/video/hls-playlist.js';
import { concatBytes } from '../../helpers/bytes.js';

/** One 188-byte transport packet starting a PES packet with the given PTS (90 kHz ticks). */
function pesPacket(pid: number, pts: number, adaptation = 0): Uint8Array {
  const packet = new Uint8Array(188).fill(0xff);
  packet.set([0x47, 0x40 | (pid >> 8), pid & 0xff, adaptation > 0 ? 0x30 : 0x10]);
  let at = 4;
  if (adaptation > 0) {
    packet[4] = adaptation - 1;
    at += adaptation;
  }
  const high = Math.floor(pts / 2 ** 30);
  const rest = pts % 2 ** 30;
  packet.set([0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, 0x21 | (high << 1), (rest >> 22) & 0xff, (((rest >> 15) & 0x7f) << 1) | 1, (rest >> 7) & 0xff, ((rest & 0x7f) << 1) | 1], at);
  return packet;
}

describe('firstPts', () => {
  it('reads the earliest PTS of the PES packets in a segment head, with or without an adaptation field', () => {
    expect(firstPts(concatBytes([pesPacket(256, 133_500), pesPacket(257, 126_000, 8)]))).toBe(126_000);
    expect(firstPts(pesPacket(256, 2 ** 32 + 5))).toBe(2 ** 32 + 5); // 33-bit time stamps
  });

  it('says undefined for bytes that are not a transport stream, or hold no time stamp', () => {
    expect(firstPts(new TextEncoder().encode('#EXTM3U\n'.repeat(40)))).toBeUndefined();
    const noPayloadStart = pesPacket(256, 1000);
    noPayloadStart[1] = 0x01;
    expect(firstPts(noPayloadStart)).toBeUndefined();
  });
});

describe('captioned master playlists', () => {
  const base = parseMasterPlaylist(
    '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="old",NAME="Old",URI="master_captions_en.m3u8"\n' +
      '#EXT-X-STREAM-INF:BANDWIDTH=900000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,SUBTITLES="old"\nmaster_720p.m3u8\n',
  );

  it('replaces the subtitle renditions and keeps every variant', () => {
    const master = parseMasterPlaylist(captionedMaster(base, [{ uri: 'captions-a.m3u8', label: 'English', language: 'en' }, { uri: 'captions-b.m3u8', label: 'lecture.vtt' }]));
    expect(master.renditions).toEqual([
      { type: 'SUBTITLES', groupId: 'subs', name: 'English', language: 'en', uri: 'captions-a.m3u8', default: true, autoselect: true },
      { type: 'SUBTITLES', groupId: 'subs', name: 'lecture.vtt', uri: 'captions-b.m3u8', default: false, autoselect: true },
    ]);
    expect(master.variants).toEqual([{ uri: 'master_720p.m3u8', bandwidth: 900000, codecs: 'avc1.64001f,mp4a.40.2', resolution: { width: 1280, height: 720 }, subtitles: 'subs' }]);
  });

  it('removes the subtitle group when no captions are left', () => {
    const master = parseMasterPlaylist(captionedMaster(base, []));
    expect(master.renditions).toEqual([]);
    expect(master.variants[0]!.subtitles).toBeUndefined();
  });

  it('writes a one-segment subtitle playlist and maps cue time 0 onto the stream', () => {
    expect(parseMediaPlaylist(subtitlePlaylist('captions-a.vtt', 61.25))).toMatchObject({ targetDuration: 62, endList: true, segments: [{ uri: 'captions-a.vtt', duration: 61.25 }] });
    expect(withTimestampMap('\uFEFFWEBVTT - Title\r\nKind: captions\r\n\r\n00:00.000 --> 00:01.000\r\nHi\r\n', 126000)).toBe(
      'WEBVTT - Title\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\nKind: captions\n\n00:00.000 --> 00:01.000\nHi\n',
    );
    expect(withTimestampMap('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:1,LOCAL:00:00:00.000\n\n00:00.000 --> 00:01.000\nHi\n', 9)).toBe('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:9,LOCAL:00:00:00.000\n\n00:00.000 --> 00:01.000\nHi\n');
  });
});
