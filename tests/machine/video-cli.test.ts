/**
 * `lectern run lecture.mp4 --course c --lesson l` as an educator runs it: a playable HLS ladder,
 * MP4, poster and thumbnails in the local published tree. And without ffmpeg: a folder run (the
 * demo) skips videos with a note and still succeeds; a video named explicitly fails, saying how
 * to install ffmpeg.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG, ffmpegAvailable, makeMedia, requireFfmpeg } from '../helpers/make-media.js';
import { GOOD_GIFT } from '../helpers/upload-fixtures.js';
import { lectern } from '../helpers/lectern-cli.js';

const run = promisify(execFile);

// `lectern` subprocesses transcoding video: bounds for a busy two-core machine, not budgets.
describe.runIf(ffmpegAvailable || requireFfmpeg())('lectern run with video', { timeout: 600_000 }, () => {
  let dir: string;
  /** An environment whose PATH has node but no ffmpeg. */
  let noFfmpeg: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-video-cli-'));
    await writeFile(path.join(dir, 'lecture.mp4'), await makeMedia({ duration: 2, width: 320, height: 240 }));
    const lesson = path.join(dir, 'tree/courses/bio-101/lessons/week-1');
    await mkdir(lesson, { recursive: true });
    await writeFile(path.join(lesson, 'intro.gift'), GOOD_GIFT);
    await writeFile(path.join(lesson, 'welcome.mp4'), await makeMedia({ duration: 1 }));
    const bin = path.join(dir, 'bin');
    await mkdir(bin);
    await symlink(process.execPath, path.join(bin, 'node'));
    const { LECTERN_FFMPEG: _unused, ...rest } = process.env;
    noFfmpeg = { ...rest, PATH: bin };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes a lecture video: the master playlist and every rendition play, MP4, poster and thumbnails are there', async () => {
    const { code, stdout } = await lectern(['run', 'lecture.mp4', '--course', 'c', '--lesson', 'l', '--json', '--state-dir', 'state'], dir);
    expect(code).toBe(0);
    const [result] = JSON.parse(stdout) as Array<{ status: string; kind: string; url: string }>;
    expect(result).toMatchObject({ status: 'published', kind: 'video' });
    const versionDir = path.join(dir, 'state/published', path.dirname(path.dirname(decodeURIComponent(new URL(result!.url).pathname))));
    const ffprobe = path.join(path.dirname(FFMPEG!), 'ffprobe');
    const probe = async (file: string) => JSON.parse((await run(ffprobe, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file])).stdout) as { streams: Array<{ codec_type: string; width?: number }>; format: { duration: string } };
    const master = await probe(path.join(versionDir, 'hls/master.m3u8'));
    expect(master.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(Number(master.format.duration)).toBeCloseTo(2, 0);
    expect((await probe(path.join(versionDir, 'hls/master_240p.m3u8'))).streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 320 });
    expect((await probe(path.join(versionDir, 'mp4/video.mp4'))).streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect((await probe(path.join(versionDir, 'poster.jpg'))).streams[0]).toMatchObject({ codec_type: 'video', width: 320 });
    expect((await probe(path.join(versionDir, 'thumbnails/thumb.0000000.jpg'))).streams[0]).toMatchObject({ width: 160 });
  });

  it('without ffmpeg: a folder run skips its videos with a note and exits 0', async () => {
    const { code, stdout, stderr } = await lectern(['run', 'tree', '--state-dir', 'no-ffmpeg'], dir, noFfmpeg);
    expect(stderr).toMatch(/skipped tree\/courses\/bio-101\/lessons\/week-1\/welcome\.mp4 \(video and audio need ffmpeg for the local transcoder: apt-get install ffmpeg\)/);
    expect(stdout).toMatch(/1 upload\(s\) — 1 published, 0 rejected, 0 failed/);
    expect(code).toBe(0);
  });

  it('without ffmpeg: a video named on the command line fails, saying how to install ffmpeg', async () => {
    const { code, stdout } = await lectern(['run', 'lecture.mp4', '--course', 'c', '--lesson', 'l', '--state-dir', 'no-ffmpeg'], dir, noFfmpeg);
    expect(code).toBe(1);
    expect(stdout).toMatch(/failed\s+courses\/c\/lessons\/l\/lecture\.mp4 {2}\(video\)/);
    expect(stdout).toMatch(/TranscoderUnavailableError: .*needs ffmpeg.*apt-get install ffmpeg/);
  });
});
