/**
 * Lecture video and audio through the real state machine, with the local twins: MediaInfo probing
 * by ranged reads, the planned MediaConvert job run by ffmpeg, its events answering the waiting
 * task, outputs verified, published and recorded. Sources are made with ffmpeg's lavfi test
 * sources in setup (≤ 2 s, ≤ 320x240). Whatever is published must play: ffprobe reads the master
 * playlist and every rendition.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMasterPlaylist, parseMediaPlaylist, resolveKey } from '../../shared/video/hls-playlist.js';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { corruptMp4, ffmpegAvailable, ffprobe, makeMedia, randomBytesFile, requireFfmpeg } from '../helpers/make-media.js';
import { publishedKey, publishedText } from '../helpers/published.js';

const LESSON = 'courses/intro-to-biology/lessons/cells';
// One database is enough for the media matrix (the callback paths run on every dialect); the
// last one is PgBouncer in transaction-pooling mode when it is up — the production shape.
const dialect = DIALECTS[DIALECTS.length - 1]!;

interface Entry {
  kind: string;
  format?: string;
  url: string;
  outputs: Array<{ name: string; url: string; contentType: string; size: number }>;
  metadata: Record<string, unknown>;
}

describe.runIf(ffmpegAvailable || requireFfmpeg())(`video and audio through publish-content (${dialect.name})`, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await openTestStack(dialect);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const fileOf = (key: string) => path.join(stack.stateDir, 'published', key);
  const text = (key: string) => publishedText(stack.published, key);
  const manifestEntry = async (fileName: string): Promise<Entry> => JSON.parse(await text(`${LESSON}/manifest.json`)).assets[fileName] as Entry;

  /** The master playlist parses, names every rendition, and ffprobe plays each of them. */
  async function expectPlayable(masterUrl: string): Promise<Array<{ uri: string; streams: string[]; width?: number; height?: number; duration: number }>> {
    const masterKey = publishedKey(masterUrl);
    const master = parseMasterPlaylist(await text(masterKey));
    const renditions = [];
    for (const variant of master.variants) {
      const key = resolveKey(masterKey, variant.uri);
      const playlist = parseMediaPlaylist(await text(key));
      expect(playlist.endList).toBe(true);
      const probe = await ffprobe(fileOf(key));
      const video = probe.streams.find((s) => s.codec_type === 'video');
      renditions.push({ uri: variant.uri, streams: probe.streams.map((s) => s.codec_type).sort(), ...(video ? { width: video.width, height: video.height } : {}), duration: Number(probe.format.duration) });
    }
    const whole = await ffprobe(fileOf(masterKey));
    expect(whole.streams.length).toBeGreaterThan(0);
    return renditions;
  }

  it('publishes a landscape lecture: HLS ladder, MP4, poster, thumbnails, manifest and records', async () => {
    const key = `${LESSON}/Cell Division.mp4`;
    const result = await stack.upload(key, await makeMedia({ duration: 2, width: 320, height: 240 }));
    expect(result).toMatchObject({ status: 'published', kind: 'video', reasons: [], warnings: [] });
    expect(result.url).toMatch(/\/courses\/intro-to-biology\/lessons\/cells\/Cell%20Division\.mp4\/[0-9a-f]{16}\/hls\/master\.m3u8$/);
    expect(result.url).toContain(result.assetVersionId.slice(3, 19)); // the version is the asset version id

    const renditions = await expectPlayable(result.url!);
    expect(renditions).toEqual([{ uri: 'master_240p.m3u8', streams: ['audio', 'video'], width: 320, height: 240, duration: expect.closeTo(2, 0) }]);

    const entry = await manifestEntry('Cell Division.mp4');
    expect(entry).toMatchObject({ kind: 'video', format: 'mp4', url: result.url });
    expect(entry.outputs.map((o) => o.name)).toEqual(['hls/master.m3u8', 'mp4/video.mp4', 'poster.jpg', 'thumbnails.vtt']);
    expect(entry.metadata).toMatchObject({ durationSeconds: 2, width: 320, height: 240, rotation: 0, hasAudio: true, renditions: [{ name: '240p', width: 320, height: 240 }] });
    const mp4 = entry.outputs.find((o) => o.name === 'mp4/video.mp4')!;
    expect((await ffprobe(fileOf(publishedKey(mp4.url)))).streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const poster = await ffprobe(fileOf(publishedKey(entry.outputs.find((o) => o.name === 'poster.jpg')!.url)));
    expect(poster.streams[0]).toMatchObject({ width: 320, height: 240 });
    const vtt = await text(publishedKey(entry.outputs.find((o) => o.name === 'thumbnails.vtt')!.url));
    expect(vtt).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:02\.000\nthumbnails\/thumb\.0000000\.jpg\n/);

    const row = await stack.db.selectFrom('asset_versions').selectAll().where('id', '=', result.assetVersionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'published', kind: 'video', format: 'mp4', content_sha256: null, url: result.url });
    const jobs = await stack.db.selectFrom('transcode_jobs').selectAll().where('asset_version_id', '=', result.assetVersionId).execute();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'COMPLETE', progress: 100, attempt: 1, request_token: `${result.assetVersionId}-1` });
    expect(jobs[0]!.callback_at).not.toBeNull();
    expect(await stack.report(key)).toMatchObject({ status: 'published', kind: 'video', url: result.url });
    // the mutable manifest is invalidated; the immutable renditions are not
    expect((await stack.cdn.log()).at(-1)?.paths).toEqual([`/${LESSON}/manifest.json`]);
  });

  it('keeps portrait video portrait, from rotation metadata and from a portrait frame', async () => {
    const rotated = await stack.upload(`${LESSON}/phone.mp4`, await makeMedia({ duration: 1, width: 320, height: 240, rotate: 90 }));
    expect(rotated).toMatchObject({ status: 'published', kind: 'video' });
    expect(await expectPlayable(rotated.url!)).toEqual([expect.objectContaining({ width: 240, height: 320 })]);
    expect((await manifestEntry('phone.mp4')).metadata).toMatchObject({ width: 240, height: 320, rotation: expect.any(Number) });
    expect([90, 270]).toContain((await manifestEntry('phone.mp4')).metadata.rotation);

    const portrait = await stack.upload(`${LESSON}/portrait.mov`, await makeMedia({ duration: 1, width: 180, height: 320, format: 'mov' }));
    expect(portrait).toMatchObject({ status: 'published', kind: 'video' });
    expect(await expectPlayable(portrait.url!)).toEqual([expect.objectContaining({ width: 180, height: 320 })]);
    expect((await manifestEntry('portrait.mov')).format).toBe('mov');
  });

  it('publishes a video without a sound track as a silent video, with a warning', async () => {
    const result = await stack.upload(`${LESSON}/silent.mp4`, await makeMedia({ duration: 1, audio: false }));
    expect(result).toMatchObject({ status: 'published', kind: 'video', reasons: [] });
    expect(result.warnings.map((w) => w.code)).toEqual(['video.no-audio']);
    expect(await expectPlayable(result.url!)).toEqual([expect.objectContaining({ streams: ['video'] })]);
  });

  it('publishes audio-only uploads (m4a, mp3, wav, and an mp4 without a picture) as audio', async () => {
    const cases = [
      { name: 'podcast.m4a', bytes: await makeMedia({ format: 'm4a', duration: 1 }), format: 'm4a', warnings: [] },
      { name: 'talk.mp3', bytes: await makeMedia({ format: 'mp3', duration: 1 }), format: 'mp3', warnings: [] },
      { name: 'tone.wav', bytes: await makeMedia({ format: 'wav', duration: 1 }), format: 'wav', warnings: [] },
      { name: 'radio.mp4', bytes: await makeMedia({ video: false, duration: 1 }), format: 'mp4', warnings: ['video.audio-only'] },
    ];
    for (const c of cases) {
      const result = await stack.upload(`${LESSON}/${c.name}`, c.bytes);
      expect(result, c.name).toMatchObject({ status: 'published', kind: 'audio', reasons: [] });
      expect(result.warnings.map((w) => w.code), c.name).toEqual(c.warnings);
      const renditions = await expectPlayable(result.url!);
      expect(renditions.map((r) => [r.uri, r.streams]), c.name).toEqual([
        ['master_aac128k.m3u8', ['audio']],
        ['master_aac64k.m3u8', ['audio']],
      ]);
      const entry = await manifestEntry(c.name);
      expect(entry, c.name).toMatchObject({ kind: 'audio', format: c.format });
      expect(entry.outputs.map((o) => o.name)).toEqual(['hls/master.m3u8', 'audio/audio.m4a']);
      const row = await stack.db.selectFrom('asset_versions').select(['kind', 'status']).where('id', '=', result.assetVersionId).executeTakeFirstOrThrow();
      expect(row, c.name).toEqual({ kind: 'audio', status: 'published' });
    }
  });

  it('publishes a very short clip (0.5 s) and Matroska/WebM containers', async () => {
    const short = await stack.upload(`${LESSON}/blink.mp4`, await makeMedia({ duration: 0.5 }));
    expect(short).toMatchObject({ status: 'published', kind: 'video' });
    expect((await expectPlayable(short.url!))[0]!.duration).toBeGreaterThan(0.3);
    expect((await manifestEntry('blink.mp4')).metadata).toMatchObject({ durationSeconds: expect.closeTo(0.5, 1), thumbnailCount: 1 });

    const mkv = await stack.upload(`${LESSON}/screen.mkv`, await makeMedia({ duration: 1, format: 'mkv' }));
    expect(mkv).toMatchObject({ status: 'published', kind: 'video' });
    expect((await manifestEntry('screen.mkv')).format).toBe('mkv');
    const webm = await stack.upload(`${LESSON}/clip.webm`, await makeMedia({ duration: 1, format: 'webm' }));
    expect(webm).toMatchObject({ status: 'published', kind: 'video' });
    expect(await expectPlayable(webm.url!)).toEqual([expect.objectContaining({ streams: ['audio', 'video'] })]);
  });

  it('rejects what cannot be a lecture, with the reason, and publishes none of it', async () => {
    const cases = [
      { name: 'damaged.mp4', bytes: corruptMp4(32 * 1024), code: /^video\.(unreadable|no-streams|empty)$/, message: /damaged|no playable|neither a video/ },
      { name: 'random.mp4', bytes: randomBytesFile(4096), code: /^upload\.content-mismatch$/, message: /binary data of an unknown type/ },
      { name: 'notes.mov', bytes: new TextEncoder().encode('these are my lecture notes, not a video'), code: /^upload\.content-mismatch$/, message: /content is text/ },
      { name: 'empty.webm', bytes: new Uint8Array(), code: /^upload\.empty$/, message: /empty \(0 bytes\)/ },
      { name: 'broken.mp3', bytes: new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, ...new Array(200).fill(7)]), code: /^audio\.(unreadable|no-streams|empty)$/, message: /./ },
    ];
    for (const c of cases) {
      const key = `${LESSON}/${c.name}`;
      const result = await stack.upload(key, c.bytes);
      expect(result.status, c.name).toBe('rejected');
      expect(result.reasons[0]?.code, c.name).toMatch(c.code);
      expect(result.reasons[0]?.message, c.name).toMatch(c.message);
      expect(await stack.report(key), c.name).toMatchObject({ status: 'rejected', reasons: result.reasons });
      expect(await stack.uploads.head(key), `${c.name} is kept`).toBeDefined();
    }
    const manifest = JSON.parse(await text(`${LESSON}/manifest.json`)) as { assets: Record<string, unknown> };
    expect(Object.keys(manifest.assets).filter((name) => cases.some((c) => c.name === name))).toEqual([]);
    // no transcode was even submitted for them
    const rows = await stack.db.selectFrom('transcode_jobs').innerJoin('asset_versions', 'asset_versions.id', 'transcode_jobs.asset_version_id').select('asset_versions.file_name').execute();
    expect(rows.map((r) => r.file_name).filter((n) => cases.some((c) => c.name === n))).toEqual([]);
  });

  it('rejects a video over the duration limit before transcoding it', async () => {
    const limit = stack.deps.config.video.maxDurationSeconds;
    stack.deps.config.video.maxDurationSeconds = 1;
    try {
      const result = await stack.upload(`${LESSON}/too-long.mp4`, await makeMedia({ duration: 2 }));
      expect(result).toMatchObject({ status: 'rejected', reasons: [{ code: 'video.too-long', message: expect.stringMatching(/is 2 s long; lecture videos may be at most 1 s/) }] });
    } finally {
      stack.deps.config.video.maxDurationSeconds = limit;
    }
  });

  it('muxes the lesson’s published captions into the ladder as a subtitle track', async () => {
    const captions = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nCells divide.\n';
    // A captions asset as ValidateCaptions/PublishAsset leave it: published .vtt + manifest entry.
    const vttKey = `${LESSON}/lab.en.vtt/abcdef0123456789/lab.en.vtt`;
    await stack.published.put(vttKey, captions, { contentType: 'text/vtt' });
    const manifestKey = `${LESSON}/manifest.json`;
    const manifest = JSON.parse(await text(manifestKey));
    manifest.assets['lab.en.vtt'] = {
      kind: 'captions',
      version: 'abcdef0123456789',
      assetVersionId: 'av-00000000000000000000000000000000',
      sourceEventTime: '2026-01-01T00:00:00.000Z',
      url: `http://127.0.0.1:4321/${vttKey}`,
      outputs: [{ name: 'lab.en.vtt', url: `http://127.0.0.1:4321/${vttKey}`, contentType: 'text/vtt', size: captions.length }],
      metadata: { videoStem: 'lab', language: 'en' },
    };
    await stack.published.put(manifestKey, JSON.stringify(manifest));

    const result = await stack.upload(`${LESSON}/lab.mp4`, await makeMedia({ duration: 1 }));
    expect(result).toMatchObject({ status: 'published', kind: 'video' });
    const masterKey = publishedKey(result.url!);
    const master = parseMasterPlaylist(await text(masterKey));
    expect(master.renditions).toEqual([expect.objectContaining({ type: 'SUBTITLES', name: 'English', language: 'en', uri: 'master_captions_en.m3u8' })]);
    expect(master.variants.every((v) => v.subtitles === master.renditions[0]!.groupId)).toBe(true);
    const subtitles = parseMediaPlaylist(await text(resolveKey(masterKey, 'master_captions_en.m3u8')));
    expect(await text(resolveKey(masterKey, subtitles.segments[0]!.uri))).toContain('Cells divide.');
    const entry = await manifestEntry('lab.mp4');
    expect(entry.outputs.map((o) => o.name)).toContain('hls/master_captions_en.m3u8');
    expect(entry.metadata.captions).toEqual([{ label: 'English', language: 'en', key: vttKey }]);
  });
});
