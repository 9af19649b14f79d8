/**
 * The ffmpeg twin's compiler (`local/ffmpeg-command.ts`) on every kind of job the planner makes:
 * each planned rendition gets an output, H.264 renditions are encoded at — and declare in CODECS —
 * the level H.264's Table A-1 gives their size, the source's frame rate and their peak bitrate
 * (MediaConvert's CodecLevel AUTO), and BANDWIDTH is the peak of the full segments. One real encode
 * checks that ffmpeg writes the level the master playlist declares.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { avc1Codecs, buildCommand, h264Level, type CommandPlan } from '../../../local/ffmpeg-command.js';
import { measurePeakBandwidth } from '../../../local/ffmpeg-hls.js';
import { planTranscode, type PlanInput } from '../../../shared/video/plan-transcode.js';
import type { JsonObject } from '../../../shared/video/mediaconvert-settings.js';
import type { MediaSummary } from '../../../shared/video/probe-verdict.js';
import { DEFAULT_VIDEO_CONFIG } from '../../../shared/video/video-config.js';
import { FFMPEG, ffmpegAvailable, makeMedia, requireFfmpeg } from '../../helpers/make-media.js';

const run = promisify(execFile);

function plan(media: Partial<MediaSummary>, extra: Partial<PlanInput> = {}) {
  return planTranscode({
    assetVersionId: 'av-0123456789abcdef0123456789abcdef',
    stage: 'local',
    course: 'bio',
    lesson: 'cells',
    fileName: 'lecture.mp4',
    source: { bucket: 'uploads', key: 'courses/bio/lessons/cells/lecture.mp4' },
    publishedBucket: 'published',
    media: { kind: 'video', container: 'MPEG-4', durationSeconds: 600, width: 1920, height: 1080, rotation: 0, frameRate: 30, hasAudio: true, audioChannels: 2, ...media } as MediaSummary,
    config: DEFAULT_VIDEO_CONFIG,
    ...extra,
  });
}

/** The arguments of each output of the command line, in order (an output ends at its file name). */
function outputsOf(command: CommandPlan): string[][] {
  const outputs: string[][] = [];
  let current: string[] = [];
  for (const arg of command.args.slice(2)) {
    current.push(arg);
    if (path.isAbsolute(arg) && current.length > 1 && current[current.length - 2] !== '-hls_segment_filename') {
      outputs.push(current);
      current = [];
    }
  }
  return outputs;
}

const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

interface Job {
  name: string;
  media: Partial<MediaSummary> & { frameRate: number };
  extra?: Partial<PlanInput>;
}

const JOBS: Job[] = [
  { name: '1080p60 lecture', media: { width: 1920, height: 1080, frameRate: 60 } },
  { name: '1080p30 lecture', media: { width: 1920, height: 1080, frameRate: 30 } },
  { name: '720p25 portrait phone video', media: { width: 720, height: 1280, frameRate: 25 } },
  { name: '480p 29.97 screen recording', media: { width: 854, height: 480, frameRate: 30000 / 1001 } },
  { name: 'silent 4K 24p', media: { width: 3840, height: 2160, frameRate: 24, hasAudio: false } },
  {
    name: '720p30 with captions',
    media: { width: 1280, height: 720, frameRate: 30 },
    extra: { captions: [{ bucket: 'published', key: 'courses/bio/lessons/cells/lecture.en.vtt', language: 'en', label: 'English', format: 'vtt' }] },
  },
];

describe('the ffmpeg twin compiles every planned job', () => {
  for (const job of JOBS) {
    it(`${job.name}: an output per planned rendition, each at the level its size, rate and bitrate need`, () => {
      const planned = plan(job.media, job.extra ?? {});
      const command = buildCommand((planned.request as { Settings: JsonObject }).Settings, '/in/lecture.mp4', '/out', { preset: 'veryfast', duration: 600, frameRate: job.media.frameRate });
      const hls = command.hlsGroups[0]!;
      expect(hls.outputs.filter((o) => o.captions)).toHaveLength(job.extra?.captions?.length ?? 0);
      // Every planned rendition and subtitle track has an output of the same name.
      const files = hls.outputs.map((o) => o.file);
      for (const r of [...planned.expected.hls.renditions, ...planned.expected.hls.captions]) expect(files).toContain(path.basename(r.playlist));

      const encodes = outputsOf(command).filter((args) => args.includes('-hls_time'));
      const videoOutputs = hls.outputs.filter((o) => o.width);
      expect(encodes).toHaveLength(videoOutputs.length);
      for (const [i, output] of videoOutputs.entries()) {
        const args = encodes[i]!;
        const profile = valueOf(args, '-profile:v') as 'high' | 'main' | 'baseline';
        const level = h264Level(output.width!, output.height!, job.media.frameRate, Number(valueOf(args, '-maxrate')), profile);
        expect(valueOf(args, '-level:v'), output.file).toBe(level.level);
        expect(output.codecs?.split(',')[0], output.file).toBe(avc1Codecs(profile, level.idc));
        expect(output.codecs?.includes('mp4a.40.2'), output.file).toBe(job.media.hasAudio !== false);
        expect(valueOf(args, '-hls_time')).toBe(String(DEFAULT_VIDEO_CONFIG.segmentSeconds));
      }
    });
  }

  it('declares the levels of Table A-1: 1080p60 is 4.2, 1080p30 4.0, 720p30 3.1, 720p60 3.2, 4K30 5.1', () => {
    expect(h264Level(1920, 1080, 60, 8_000_000, 'high')).toEqual({ level: '4.2', idc: 42 });
    expect(avc1Codecs('high', 42)).toBe('avc1.64002a');
    expect(h264Level(1920, 1080, 30, 6_000_000, 'high')).toEqual({ level: '4', idc: 40 });
    expect(avc1Codecs('high', 40)).toBe('avc1.640028');
    expect(h264Level(1280, 720, 30, 4_000_000, 'high').level).toBe('3.1');
    expect(h264Level(1280, 720, 60, 4_000_000, 'high').level).toBe('3.2');
    expect(h264Level(3840, 2160, 30, 20_000_000, 'high').level).toBe('5.1');
    // A peak bitrate over a level's limit needs the next one (1080p30 at 30 Mbit/s: 4.1).
    expect(h264Level(1920, 1080, 30, 30_000_000, 'high').level).toBe('4.1');
    expect(avc1Codecs('main', 31)).toBe('avc1.4d401f');
  });

  it('audio-only jobs encode AAC renditions without video arguments', () => {
    const planned = plan({ kind: 'audio', width: undefined, height: undefined, frameRate: undefined, container: 'MPEG Audio' });
    const command = buildCommand((planned.request as { Settings: JsonObject }).Settings, '/in/talk.mp3', '/out', { preset: 'veryfast', duration: 600 });
    const audio = command.hlsGroups[0]!.outputs.filter((o) => !o.captions);
    expect(audio.length).toBe(planned.expected.hls.renditions.length);
    for (const o of audio) expect(o).toMatchObject({ audioOnly: true, codecs: 'mp4a.40.2' });
    expect(command.args).not.toContain('-level:v');
  });
});

describe('BANDWIDTH of the twin’s master playlists', () => {
  it('is the peak of the full segments: a short last segment does not inflate it', () => {
    const full = [
      { bits: 6_000_000, seconds: 6 },
      { bits: 9_000_000, seconds: 6 },
    ];
    expect(measurePeakBandwidth([...full, { bits: 600_000, seconds: 0.2 }])).toBe(1_500_000); // 3 Mbit/s over 0.2 s ignored
    expect(measurePeakBandwidth([...full, { bits: 12_000_000, seconds: 6 }])).toBe(2_000_000); // a full last segment counts
    expect(measurePeakBandwidth([{ bits: 400_000, seconds: 0.5 }])).toBe(800_000); // one segment is all there is
  });
});

describe.runIf(ffmpegAvailable || requireFfmpeg())('the level ffmpeg writes', () => {
  it('is the level the CODECS attribute declares (320x240 at 60 fps: 2.1)', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lectern-level-'));
    try {
      await writeFile(path.join(dir, 'in.mp4'), await makeMedia({ duration: 1, width: 320, height: 240, rate: 60 }));
      const planned = plan({ width: 320, height: 240, frameRate: 60, durationSeconds: 1 });
      const command = buildCommand((planned.request as { Settings: JsonObject }).Settings, path.join(dir, 'in.mp4'), path.join(dir, 'out'), { preset: 'ultrafast', duration: 1, frameRate: 60 });
      for (const d of command.dirs) await mkdir(d, { recursive: true });
      await run(FFMPEG!, ['-hide_banner', '-loglevel', 'error', '-y', ...command.args]);
      const output = command.hlsGroups[0]!.outputs.find((o) => o.width)!;
      const segment = path.join(command.hlsGroups[0]!.dir, output.file.replace(/\.m3u8$/, '_00001.ts'));
      const { stdout } = await run(path.join(path.dirname(FFMPEG!), 'ffprobe'), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=level', '-of', 'default=nw=1:nk=1', segment]);
      expect(Number(stdout.trim().split('\n')[0])).toBe(21); // ffprobe names the stream under each program too
      expect(output.codecs).toMatch(/^avc1\.[0-9a-f]{4}15,/); // level_idc 0x15 = 21
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
