/**
 * Every lecture captioned, through the real state machine with the local twins: a short spoken
 * video (espeak-ng's voice over ffmpeg's test pattern) is published, and pocketsphinx — the twin
 * of Amazon Transcribe — gives it an automatic English track in its master playlist, labelled
 * "(auto-generated)", whose cues are readable and lie within the speech. The educator's corrected
 * `.en.vtt` then replaces it without a second transcode. Without pocketsphinx the video is still
 * published, with a warning that says how to install it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionCoverage } from '../../shared/use-cases/caption-coverage.js';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { FFMPEG, ffmpegAvailable, requireFfmpeg } from '../helpers/make-media.js';
import { publishedKey, publishedText, subtitleTracks } from '../helpers/published.js';

const run = promisify(execFile);
const LESSON = 'courses/cell-biology/lessons/mitosis';
const dialect = DIALECTS[0]!;
const SPEECH = 'Cells divide by mitosis. The spindle forms, and the chromosomes separate.';

/** A spoken lecture: espeak-ng's WAV as the sound of a test-pattern MP4. Returns the bytes and the speech's duration. */
async function spokenVideo(speech = SPEECH): Promise<{ bytes: Uint8Array; seconds: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-speech-'));
  try {
    const wav = path.join(dir, 'speech.wav');
    const mp4 = path.join(dir, 'lecture.mp4');
    await run('espeak-ng', ['-w', wav, speech]);
    const { stdout } = await run(path.join(path.dirname(FFMPEG!), 'ffprobe'), ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', wav]);
    const seconds = Number(stdout.trim());
    await run(FFMPEG!, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=25:duration=${seconds}`, '-i', wav,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-shortest', mp4]);
    return { bytes: new Uint8Array(await readFile(mp4)), seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Track {
  name: string;
  language?: string;
  cues: Array<{ start: number; end: number; lines: string[] }>;
  vtt: string;
}

describe.runIf(ffmpegAvailable || requireFfmpeg())(`automatic captions (${dialect.name})`, () => {
  let stack: TestStack;
  let video: { bytes: Uint8Array; seconds: number };
  beforeAll(async () => {
    [stack, video] = await Promise.all([openTestStack(dialect), spokenVideo()]);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const text = (key: string) => publishedText(stack.published, key);
  const manifest = async () => JSON.parse(await text(`${LESSON}/manifest.json`)) as { assets: Record<string, { url: string; outputs: Array<{ name: string; url: string }>; metadata: Record<string, unknown> }> };
  const count = async (table: 'transcode_jobs' | 'transcription_jobs') => (await stack.db.selectFrom(table).selectAll().execute()).length;

  /** The subtitle tracks of the master students load, with their cues. */
  async function tracks(masterUrl: string): Promise<Track[]> {
    const { tracks: found } = await subtitleTracks(stack.published, masterUrl);
    return found.map(({ name, language, vtt }) => ({ name, ...(language ? { language } : {}), cues: parseCues(vtt), vtt }));
  }

  it('a spoken lecture is published with an automatic English track whose cues lie within the speech', async () => {
    const result = await stack.upload(`${LESSON}/lecture.mp4`, video.bytes);
    expect(result).toMatchObject({ status: 'published', kind: 'video' });
    expect(result.warnings.map((w) => w.code)).not.toContain('captions.auto-failed');

    const entries = (await manifest()).assets;
    expect(Object.keys(entries)).toEqual(['lecture.en.auto.vtt', 'lecture.mp4']);
    const videoEntry = entries['lecture.mp4']!;
    expect(videoEntry.url).toMatch(/\/hls\/master\.captions-[0-9a-f]{12}\.m3u8$/);
    const [track, ...others] = await tracks(videoEntry.url);
    expect(others).toEqual([]);
    expect(track).toMatchObject({ name: 'English (auto-generated)', language: 'en' });
    expect(track!.cues.length).toBeGreaterThan(0);
    for (const cue of track!.cues) {
      expect(cue.start).toBeGreaterThanOrEqual(0);
      expect(cue.end).toBeGreaterThan(cue.start);
      expect(cue.end).toBeLessThanOrEqual(video.seconds + 0.05);
      expect(cue.end - cue.start).toBeLessThanOrEqual(7);
      expect(cue.lines.length).toBeGreaterThanOrEqual(1);
      expect(cue.lines.length).toBeLessThanOrEqual(2);
      for (const line of cue.lines) {
        expect(line.trim().length).toBeGreaterThan(0);
        expect([...line].length).toBeLessThanOrEqual(42);
      }
    }
    // The cues cover the speech: they start in its first half and end in its second.
    expect(track!.cues[0]!.start).toBeLessThan(video.seconds / 2);
    expect(track!.cues[track!.cues.length - 1]!.end).toBeGreaterThan(video.seconds / 2);

    // The transcript is published with the lesson; the educator can download the track to correct it.
    const auto = entries['lecture.en.auto.vtt']!;
    expect(auto.metadata).toMatchObject({ automatic: true, language: 'en', videoStem: 'lecture' });
    const transcriptTxt = auto.outputs.find((o) => o.name === 'transcript.txt')!;
    const words = track!.cues.flatMap((c) => c.lines.join(' ').split(' '));
    expect((await text(publishedKey(transcriptTxt.url))).trim().split(/\s+/)).toEqual(words);
    const transcript = JSON.parse(await text(publishedKey(auto.outputs.find((o) => o.name === 'transcript.json')!.url))) as { automatic: boolean; cues: unknown[] };
    expect(transcript).toMatchObject({ automatic: true, language: 'en' });
    expect(transcript.cues).toHaveLength(track!.cues.length);
    const review = await stack.uploads.get(`_reports/${LESSON}/lecture.en.auto.vtt`);
    expect(new TextDecoder().decode(review!)).toBe(await text(publishedKey(auto.url)));
    // Coverage (lectern status, the VideosWithoutCaptions metric): captioned, automatically only.
    expect((await captionCoverage(stack.deps)).courses).toEqual([{ course: 'cell-biology', videos: 1, reviewed: 0, automaticOnly: 1, none: 0, uncaptioned: [] }]);
  });

  it('the corrected .en.vtt replaces the automatic track, without a second transcode', async () => {
    const transcodes = await count('transcode_jobs');
    const transcriptions = await count('transcription_jobs');
    expect(transcriptions).toBe(1);
    const corrected = `WEBVTT\n\n00:00:00.200 --> 00:00:03.000\nCells divide by mitosis.\n\n00:00:03.000 --> 00:00:06.000\nFirst the spindle forms.\n`;
    const result = await stack.upload(`${LESSON}/lecture.en.vtt`, new TextEncoder().encode(corrected));
    expect(result).toMatchObject({ status: 'published', kind: 'captions' });

    const [track, ...others] = await tracks((await manifest()).assets['lecture.mp4']!.url);
    expect(others).toEqual([]);
    expect(track).toMatchObject({ name: 'English', language: 'en' });
    expect(track!.cues.map((c) => c.lines.join(' '))).toEqual(['Cells divide by mitosis.', 'First the spindle forms.']);
    expect(await count('transcode_jobs')).toBe(transcodes);
    expect(await count('transcription_jobs')).toBe(transcriptions);
    expect((await captionCoverage(stack.deps)).courses[0]).toMatchObject({ videos: 1, reviewed: 1, automaticOnly: 0, none: 0 });
  });

  it('a lecture published again after its captions were reviewed gets no automatic track', async () => {
    const result = await stack.upload(`${LESSON}/lecture.mp4`, (await spokenVideo('Mitosis, once more, in fewer words.')).bytes);
    expect(result).toMatchObject({ status: 'published' });
    expect(await count('transcription_jobs')).toBe(1);
    const names = (await tracks((await manifest()).assets['lecture.mp4']!.url)).map((t) => t.name);
    expect(names).toEqual(['English']);
  });

  it('without pocketsphinx the video is published, with a warning that says how to install it', async () => {
    const bare = await openTestStack(dialect, {}, { pocketsphinx: path.join(tmpdir(), 'no-such-pocketsphinx') });
    try {
      const result = await bare.upload(`${LESSON}/lecture.mp4`, video.bytes);
      expect(result).toMatchObject({ status: 'published', kind: 'video' });
      const warning = result.warnings.find((w) => w.code === 'captions.auto-failed');
      expect(warning?.message).toMatch(/apt-get install pocketsphinx pocketsphinx-en-us/);
      expect((await bare.report(`${LESSON}/lecture.mp4`)).warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'captions.auto-failed' })]));
      const entry = JSON.parse(new TextDecoder().decode((await bare.published.get(`${LESSON}/manifest.json`))!)) as { assets: Record<string, { url: string }> };
      expect(Object.keys(entry.assets)).toEqual(['lecture.mp4']);
      expect(entry.assets['lecture.mp4']!.url).toMatch(/\/hls\/master\.m3u8$/);
      // No captions: counted as such, and overdue once the grace period has passed.
      const later = { ...bare.deps, now: () => new Date(Date.now() + 25 * 3_600_000) };
      expect(await captionCoverage(bare.deps)).toMatchObject({ overdue: 0, courses: [{ none: 1, uncaptioned: [{ lesson: 'mitosis', fileName: 'lecture.mp4', overdue: false }] }] });
      expect(await captionCoverage(later)).toMatchObject({ overdue: 1, courses: [{ none: 1, uncaptioned: [{ overdue: true }] }] });
    } finally {
      await bare.dispose();
    }
  });
});

/** Cues of a WebVTT file: times in seconds and text lines (the header and X-TIMESTAMP-MAP skipped). */
function parseCues(vtt: string): Track['cues'] {
  const seconds = (t: string) => t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return vtt
    .split(/\n\n+/)
    .map((block) => block.split('\n'))
    .filter((lines) => lines.some((l) => l.includes('-->')))
    .map((lines) => {
      const at = lines.findIndex((l) => l.includes('-->'));
      const [start, end] = lines[at]!.split(' --> ').map((t) => seconds(t.split(' ')[0]!));
      return { start: start!, end: end!, lines: lines.slice(at + 1).filter((l) => l.length > 0) };
    });
}
