/**
 * Captions join their video whenever they arrive, through the real state machine with the local
 * twins: captions uploaded after the video give it a new master playlist version (no second
 * transcode), the manifest moves to it and the CDN is told; a second language adds a track; a
 * caption file whose language changes drops the old language from the master. What is published
 * must play: ffprobe reads the master with its subtitle track.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMasterPlaylist, parseMediaPlaylist, resolveKey } from '../../shared/video/hls-playlist.js';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { FFMPEG, ffmpegAvailable, ffprobe, makeMedia, requireFfmpeg } from '../helpers/make-media.js';
import { publishedKey, publishedText, subtitleTracks as subtitlesOf } from '../helpers/published.js';

const run = promisify(execFile);
const LESSON = 'courses/cell-biology/lessons/mitosis';
const dialect = DIALECTS[DIALECTS.length - 1]!;
const vtt = (body: string) => new TextEncoder().encode(body);

interface Entry {
  kind: string;
  version: string;
  url: string;
  outputs: Array<{ name: string; url: string }>;
  metadata: Record<string, unknown>;
}

describe.runIf(ffmpegAvailable || requireFfmpeg())(`captions join their video whenever they arrive (${dialect.name})`, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await openTestStack(dialect);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const text = (key: string) => publishedText(stack.published, key);
  const entryOf = async (fileName: string): Promise<Entry> => JSON.parse(await text(`${LESSON}/manifest.json`)).assets[fileName] as Entry;
  const transcodeJobs = async () => (await stack.db.selectFrom('transcode_jobs').select('job_id').execute()).length;

  /** The subtitle tracks of the master students load: label, language and the cue text each segment holds. */
  async function subtitleTracks(masterUrl: string) {
    const { master, tracks } = await subtitlesOf(stack.published, masterUrl);
    expect(master.variants.every((v) => (tracks.length > 0 ? v.subtitles === 'subs' : v.subtitles === undefined))).toBe(true);
    return tracks;
  }

  let videoUrl: string;
  let firstSegmentStart: number;

  it('captions uploaded after the video join its master in a new version, without transcoding again', async () => {
    const video = await stack.upload(`${LESSON}/lecture.mp4`, await makeMedia({ duration: 2 }));
    expect(video).toMatchObject({ status: 'published', kind: 'video' });
    videoUrl = video.url!;
    expect(await subtitleTracks(videoUrl)).toEqual([]);
    const jobs = await transcodeJobs();
    const invalidations = (await stack.cdn.log()).length;

    const captions = await stack.upload(`${LESSON}/lecture.en.vtt`, vtt('WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nThe spindle forms.\n'));
    expect(captions).toMatchObject({ status: 'published', kind: 'captions' });

    const entry = await entryOf('lecture.mp4');
    expect(entry.url).not.toBe(videoUrl);
    expect(entry.url).toMatch(/\/lecture\.mp4\/[0-9a-f]{16}\/hls\/master\.captions-[0-9a-f]{12}\.m3u8$/);
    expect(publishedKey(entry.url).slice(0, publishedKey(videoUrl).lastIndexOf('/hls/'))).toBe(publishedKey(videoUrl).slice(0, publishedKey(videoUrl).lastIndexOf('/hls/'))); // same video version
    const tracks = await subtitleTracks(entry.url);
    expect(tracks).toEqual([{ name: 'English', language: 'en', vtt: expect.stringContaining('The spindle forms.'), seconds: expect.closeTo(2, 0) }]);

    // Cue time 0 is the video's first time stamp, as the transport stream says.
    const segment = parseMediaPlaylist(await text(resolveKey(publishedKey(videoUrl), parseMasterPlaylist(await text(publishedKey(videoUrl))).variants[0]!.uri)));
    const segmentFile = path.join(stack.stateDir, 'published', resolveKey(resolveKey(publishedKey(videoUrl), 'master_240p.m3u8'), segment.segments[0]!.uri));
    firstSegmentStart = Math.round(Number((await ffprobe(segmentFile)).format.start_time) * 90_000);
    const map = /X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:00:00:00\.000/.exec(tracks[0]!.vtt);
    expect(Number(map?.[1])).toBe(firstSegmentStart);

    // ffprobe plays the new master; ffmpeg reads its subtitle playlist back as the cues uploaded.
    const probe = await ffprobe(path.join(stack.stateDir, 'published', publishedKey(entry.url)));
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const subtitleKey = resolveKey(publishedKey(entry.url), parseMasterPlaylist(await text(publishedKey(entry.url))).renditions[0]!.uri!);
    const { stdout: cues } = await run(FFMPEG!, ['-v', 'error', '-i', path.join(stack.stateDir, 'published', subtitleKey), '-f', 'webvtt', '-']);
    expect(cues).toMatch(/00:00\.500 --> 00:01\.500\nThe spindle forms\./);
    expect(await subtitleTracks(videoUrl)).toEqual([]);

    expect(entry.metadata.captions).toEqual([{ label: 'English', language: 'en', key: expect.stringMatching(/\/lecture\.en\.vtt\/[0-9a-f]{16}\/lecture\.en\.vtt$/) }]);
    expect(entry.outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['mp4/video.mp4', 'poster.jpg', expect.stringMatching(/^hls\/captions-[0-9a-f]{12}\.m3u8$/)]));
    expect(entry.outputs[0]!.url).toBe(entry.url);
    expect(await transcodeJobs()).toBe(jobs); // no second transcode
    const log = await stack.cdn.log();
    expect(log.length).toBe(invalidations + 1);
    expect(log[log.length - 1]!.paths).toEqual([`/${LESSON}/manifest.json`]);
  });

  it('a second language adds a track; a replay of the same captions changes nothing', async () => {
    const before = await entryOf('lecture.mp4');
    const french = await stack.upload(`${LESSON}/lecture.fr.srt`, vtt('1\n00:00:00,500 --> 00:00:01,500\nLe fuseau se forme.\n'));
    expect(french).toMatchObject({ status: 'published', kind: 'captions' });
    const entry = await entryOf('lecture.mp4');
    expect(entry.url).not.toBe(before.url);
    expect((await subtitleTracks(entry.url)).map((t) => [t.name, t.language, t.vtt.includes('Le fuseau se forme.')])).toEqual([
      ['English', 'en', false],
      ['French', 'fr', true],
    ]);

    const again = await stack.upload(`${LESSON}/lecture.fr.srt`, vtt('1\n00:00:00,500 --> 00:00:01,500\nLe fuseau se forme.\n'));
    expect(again).toMatchObject({ status: 'published', assetVersionId: french.assetVersionId });
    expect((await entryOf('lecture.mp4')).url).toBe(entry.url);
  });

  it('a caption file whose language changes takes the old language out of the master', async () => {
    const german = await stack.upload(`${LESSON}/lecture.vtt`, vtt('WEBVTT\nLanguage: de\n\n00:00:00.000 --> 00:00:01.000\nDie Spindel bildet sich.\n'));
    expect(german).toMatchObject({ status: 'published' });
    expect((await subtitleTracks((await entryOf('lecture.mp4')).url)).map((t) => t.language)).toEqual(['en', 'fr', 'de']);

    const italian = await stack.upload(`${LESSON}/lecture.vtt`, vtt('WEBVTT\nLanguage: it\n\n00:00:00.000 --> 00:00:01.000\nSi forma il fuso.\n'));
    expect(italian).toMatchObject({ status: 'published' });
    const tracks = await subtitleTracks((await entryOf('lecture.mp4')).url);
    expect(tracks.map((t) => t.language)).toEqual(['en', 'fr', 'it']);
    expect(tracks.some((t) => t.vtt.includes('Die Spindel'))).toBe(false);
  });

  it('a video uploaded again after its captions is transcoded with them, and its master says so once', async () => {
    const video = await stack.upload(`${LESSON}/lecture.mp4`, await makeMedia({ duration: 1, width: 160, height: 120 }));
    expect(video).toMatchObject({ status: 'published', kind: 'video' });
    const entry = await entryOf('lecture.mp4');
    // The transcode muxed the three current caption files in: the manifest keeps its own master.
    expect(entry.url).toBe(video.url);
    expect(entry.url).toMatch(/\/hls\/master\.m3u8$/);
    expect((await subtitleTracks(entry.url)).map((t) => t.language)).toEqual(['en', 'fr', 'it']);
  });
});
