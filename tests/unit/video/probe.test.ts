/**
 * ProbeVideo's core: MediaInfo (WASM) over ranged reads of real files made with ffmpeg, and the
 * verdict on what it found.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { normaliseRotation, probeMedia, type MediaProbe } from '../../../shared/video/probe-media.js';
import { formatDuration, judgeProbe } from '../../../shared/video/probe-verdict.js';
import { corruptMp4, ffmpegAvailable, makeMedia, requireFfmpeg } from '../../helpers/make-media.js';

/** A range reader over bytes that records what was read. */
function reader(bytes: Uint8Array) {
  const reads: Array<[number, number]> = [];
  return {
    reads,
    read: async (start: number, end: number) => {
      reads.push([start, end]);
      return bytes.subarray(start, end + 1);
    },
  };
}

async function probe(bytes: Uint8Array, options: { chunkBytes?: number; budgetBytes?: number } = {}): Promise<MediaProbe> {
  const r = reader(bytes);
  return probeMedia({ size: bytes.byteLength, read: r.read, ...options });
}

const context = { fileName: 'lecture.mp4', declaredKind: 'video' as const, maxDurationSeconds: 3600 };

describe.runIf(ffmpegAvailable || requireFfmpeg())('probeMedia on generated files', () => {
  it('reads container, duration, size, frame rate and audio of a landscape MP4', async () => {
    const result = await probe(await makeMedia({ duration: 1, width: 320, height: 240, rate: 25 }));
    expect(result).toMatchObject({ container: 'MPEG-4', videoTrackCount: 1 });
    expect(result.durationSeconds).toBeCloseTo(1, 1);
    expect(result.video).toMatchObject({ codec: 'AVC', width: 320, height: 240, rotation: 0, displayWidth: 320, displayHeight: 240, frameRate: 25 });
    expect(result.audio).toEqual([expect.objectContaining({ codec: 'AAC', channels: 1, sampleRate: 44100 })]);
  });

  it('applies the rotation: a 320x240 picture turned 90° is shown 240x320', async () => {
    const result = await probe(await makeMedia({ duration: 1, rotate: 90 }));
    expect(result.video?.rotation === 90 || result.video?.rotation === 270).toBe(true);
    expect(result.video).toMatchObject({ width: 320, height: 240, displayWidth: 240, displayHeight: 320 });
  });

  it('tells audio-only files, silent videos and other containers apart', async () => {
    const m4a = await probe(await makeMedia({ format: 'm4a' }));
    expect(m4a.video).toBeUndefined();
    expect(m4a.audio).toHaveLength(1);
    const mp3 = await probe(await makeMedia({ format: 'mp3' }));
    expect(mp3).toMatchObject({ container: 'MPEG Audio', videoTrackCount: 0 });
    const wav = await probe(await makeMedia({ format: 'wav' }));
    expect(wav).toMatchObject({ container: 'Wave' });
    const silent = await probe(await makeMedia({ audio: false }));
    expect(silent.audio).toEqual([]);
    expect(silent.video).toBeDefined();
    const mkv = await probe(await makeMedia({ format: 'mkv' }));
    expect(mkv).toMatchObject({ container: 'Matroska' });
    const webm = await probe(await makeMedia({ format: 'webm' }));
    expect(webm).toMatchObject({ container: 'WebM' });
  });

  it('reads the head and the index at the tail with ranged reads, and needs nothing else', async () => {
    const bytes = await makeMedia({ duration: 2, width: 320, height: 240 });
    const r = reader(bytes);
    // 16 KiB chunks, 48 KiB budget: the head, then the moov box ffmpeg wrote at the end.
    const result = await probeMedia({ size: bytes.byteLength, read: r.read, chunkBytes: 16 * 1024, budgetBytes: 48 * 1024 });
    expect(r.reads[0]).toEqual([0, 16 * 1024 - 1]);
    expect(r.reads[1]?.[1]).toBe(bytes.byteLength - 1);
    expect(result.bytesRead).toBeLessThanOrEqual(48 * 1024);
    expect(result.bytesRead, `${result.bytesRead} of ${bytes.byteLength} bytes`).toBeLessThan(bytes.byteLength / 3);
    expect(result.durationSeconds).toBeCloseTo(2, 1);
    expect(result.video).toMatchObject({ width: 320, height: 240, frameRate: 25 });
    expect(result.audio).toHaveLength(1);
  });

  it('stops at its read budget and reports what it has', async () => {
    const bytes = await makeMedia({ duration: 2 });
    const result = await probeMedia({ size: bytes.byteLength, read: reader(bytes).read, budgetBytes: 4096, chunkBytes: 1024 });
    expect(result.bytesRead).toBeLessThanOrEqual(4096);
  });

  it('finds nothing playable in damaged bytes', async () => {
    const result = await probe(corruptMp4(64 * 1024)).catch(() => undefined);
    const verdict = judgeProbe(result, context);
    expect(verdict.accepted).toBe(false);
    expect(verdict.reasons[0]?.code).toMatch(/^video\.(unreadable|no-streams|empty)$/);
  });
});

describe.runIf(ffmpegAvailable || requireFfmpeg())('probeMedia bundled like a Lambda', () => {
  it('loads the WASM from the mediainfo layer named by LECTERN_MEDIAINFO_WASM, nothing else installed (esbuild picks the bundler build)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lectern-probe-bundle-'));
    try {
      const entry = path.join(dir, 'entry.ts');
      const probeModule = path.resolve('shared/video/probe-media.ts');
      const configModule = path.resolve('shared/video/video-config.ts');
      await writeFile(
        entry,
        `import { readFileSync } from 'node:fs';\nimport { probeMedia } from ${JSON.stringify(probeModule)};\nimport { parseVideoConfig } from ${JSON.stringify(configModule)};\n` +
          `const bytes = readFileSync(process.argv[2]);\n` +
          `const wasmFile = parseVideoConfig(process.env).mediainfoWasm;\n` +
          `const r = await probeMedia({ size: bytes.length, read: async (s, e) => bytes.subarray(s, e + 1), ...(wasmFile ? { wasmFile } : {}) });\n` +
          `console.log(JSON.stringify({ container: r.container, durationSeconds: r.durationSeconds, width: r.video?.displayWidth }));\n`,
      );
      const out = path.join(dir, 'task/functions/probe-video/handler.mjs');
      // the settings of serverless.yml's esbuild block that matter here
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node22', mainFields: ['module', 'main'], outfile: out, logLevel: 'silent',
        banner: { js: "import { createRequire as __lecternCreateRequire } from 'node:module'; const require = __lecternCreateRequire(import.meta.url);" } });
      // what the layer holds (Lambda extracts it to /opt); the function's zip holds only the bundle
      const pkg = path.dirname(createRequire(import.meta.url).resolve('mediainfo.js/package.json'));
      const layerWasm = path.join(dir, 'opt/MediaInfoModule.wasm');
      await mkdir(path.dirname(layerWasm), { recursive: true });
      await copyFile(path.join(pkg, 'dist/MediaInfoModule.wasm'), layerWasm);
      const media = path.join(dir, 'clip.mp4');
      await writeFile(media, await makeMedia({ duration: 1 }));
      const run = (env: Record<string, string>) => promisify(execFile)(process.execPath, [out, media], { cwd: path.join(dir, 'task'), env: { PATH: process.env.PATH ?? '', ...env } });
      const { stdout } = await run({ LECTERN_MEDIAINFO_WASM: layerWasm });
      expect(JSON.parse(stdout)).toEqual({ container: 'MPEG-4', durationSeconds: expect.closeTo(1, 1), width: 320 });
      // without the layer's path the bundle has no WASM to load: it fails, saying so (and downloads nothing)
      await expect(run({})).rejects.toThrow(/MediaInfo's WebAssembly is not at .*mediainfo layer \(LECTERN_MEDIAINFO_WASM/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('judgeProbe', () => {
  const base: MediaProbe = {
    container: 'MPEG-4',
    durationSeconds: 12,
    fileSize: 1000,
    video: { codec: 'AVC', width: 1920, height: 1080, rotation: 0, displayWidth: 1920, displayHeight: 1080, frameRate: 30 },
    videoTrackCount: 1,
    audio: [{ codec: 'AAC', channels: 2 }],
    bytesRead: 1000,
    reads: 1,
  };

  it('accepts a normal video and summarises it for the planner', () => {
    expect(judgeProbe(base, context)).toEqual({
      accepted: true,
      kind: 'video',
      format: 'mp4',
      reasons: [],
      warnings: [],
      media: { kind: 'video', container: 'MPEG-4', durationSeconds: 12, width: 1920, height: 1080, rotation: 0, frameRate: 30, videoCodec: 'AVC', hasAudio: true, audioCodec: 'AAC', audioChannels: 2 },
    });
  });

  it('rejects what cannot be transcoded, saying why', () => {
    const cases: Array<[MediaProbe | undefined, string]> = [
      [undefined, 'video.unreadable'],
      [{ ...base, container: undefined }, 'video.unreadable'],
      [{ ...base, fileSize: 0 }, 'video.empty'],
      [{ ...base, video: undefined, videoTrackCount: 0, audio: [] }, 'video.no-streams'],
      [{ ...base, durationSeconds: 0 }, 'video.empty'],
      [{ ...base, durationSeconds: undefined }, 'video.empty'],
      [{ ...base, durationSeconds: 3601 }, 'video.too-long'],
      [{ ...base, video: { ...base.video!, displayWidth: 24, displayHeight: 24 } }, 'video.too-small'],
      [{ ...base, video: { ...base.video!, displayWidth: 10_000, displayHeight: 5000 } }, 'video.too-large-frame'],
    ];
    for (const [probe, code] of cases) {
      const verdict = judgeProbe(probe, context);
      expect(verdict.accepted, code).toBe(false);
      expect(verdict.reasons.map((r) => r.code), code).toEqual([code]);
      expect(verdict.reasons[0]!.message, code).toContain('lecture.mp4');
    }
    expect(judgeProbe({ ...base, durationSeconds: 3601 }, context).reasons[0]!.message).toMatch(/1 h 00 min long.*at most 1 h 00 min/);
  });

  it('makes an MP4 without a picture an audio upload, and an .mp3 gets audio reason codes', () => {
    const verdict = judgeProbe({ ...base, video: undefined, videoTrackCount: 0 }, context);
    expect(verdict).toMatchObject({ accepted: true, kind: 'audio', media: { kind: 'audio', hasAudio: true } });
    expect(verdict.warnings.map((w) => w.code)).toEqual(['video.audio-only']);
    const mp3 = judgeProbe(undefined, { ...context, fileName: 'talk.mp3', declaredKind: 'audio' });
    expect(mp3.reasons[0]!.code).toBe('audio.unreadable');
  });

  it('warns about a silent video and extra video tracks', () => {
    const verdict = judgeProbe({ ...base, audio: [], videoTrackCount: 2 }, context);
    expect(verdict.accepted).toBe(true);
    expect(verdict.warnings.map((w) => w.code)).toEqual(['video.no-audio', 'video.extra-video-tracks']);
    expect(verdict.media?.hasAudio).toBe(false);
  });

  it('formats durations for people', () => {
    expect(formatDuration(0.5)).toBe('0.5 s');
    expect(formatDuration(250)).toBe('4 min 10 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(normaliseRotation(-90)).toBe(270);
    expect(normaliseRotation(450)).toBe(90);
  });
});
