import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { runSmoke, type SmokeEnvironment, type SmokeResponse } from '../../shared/use-cases/smoke.js';

const run = promisify(execFile);

describe('lectern smoke', () => {
  it('passes against the local stack (signed): every kind uploaded, published, refused without a grant, served with one, cleaned up', async () => {
    const { stdout } = await run(process.execPath, [path.resolve('bin/lectern.js'), 'smoke', '--local', '--json', '--timeout', '600'], { maxBuffer: 10 * 1024 * 1024 });
    const result = JSON.parse(stdout) as { ok: boolean; steps: Array<{ step: string; ok: boolean; detail: string }> };
    expect(result.steps.filter((s) => !s.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    const steps = result.steps.map((s) => s.step);
    for (const kind of ['quiz', 'pdf', 'video', 'captions']) {
      expect(steps, kind).toContain(`${kind}: upload`);
      expect(steps, kind).toContain(`${kind}: processed`);
    }
    expect(steps).toEqual(
      expect.arrayContaining([
        'quiz: the quiz refused without a grant', 'quiz: the quiz served with the grant', 'quiz: content',
        'pdf: the PDF refused without a grant', 'pdf: the PDF served with the grant', 'pdf: content',
        'video: the master playlist refused without a grant', 'video: the master playlist served with the grant',
        'video: a variant playlist served with the grant', 'video: its first segment refused without a grant', 'video: its first segment served with the grant', 'video: first segment',
        'captions: the WebVTT file served with the grant', 'captions: content', 'captions: subtitle track',
        'granted', 'clean up',
      ]),
    );
    expect(result.steps.find((s) => s.step === 'captions: subtitle track')?.detail).toMatch(/^1 subtitle rendition\(s\): en/);
  }, 900_000); // a whole local stack in a subprocess, with an ffmpeg transcode: minutes on a busy two-core machine

  it('rejects kinds it does not know', async () => {
    const failed = await run(process.execPath, [path.resolve('bin/lectern.js'), 'smoke', '--local', '--kinds', 'quiz,podcast']).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('--kinds: podcast; the kinds are quiz, pdf, video, captions') });
  });
});

/**
 * runSmoke against a fake pipeline and CDN: `submit` writes the report a published upload gets,
 * and the CDN serves what a signed stage serves (403 without the cookie). One thing at a time is
 * then broken to see the smoke test fail where it should.
 */
describe('runSmoke: what makes it fail', () => {
  let dir: string;
  let uploads: FsObjectStore;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-smoke-unit-'));
    uploads = new FsObjectStore(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const CDN = 'http://cdn.test';
  const COOKIE = 'CloudFront-Policy=p; CloudFront-Signature=s; CloudFront-Key-Pair-Id=K';
  const response = (status: number, body: Uint8Array | string = ''): SmokeResponse => ({
    status,
    arrayBuffer: async () => {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  });

  /** A fake stage: publishes every upload at once and serves it, signed, from `files`. */
  function fakeStage(change: { open?: (url: string) => boolean; publish?: (key: string) => boolean; serve?: (url: string, body: Uint8Array | string) => Uint8Array | string } = {}): SmokeEnvironment {
    const files = new Map<string, Uint8Array | string>();
    const manifest: Record<string, { url: string }> = {};
    return {
      uploads,
      submit: async (key, bytes) => {
        await uploads.put(key, bytes);
        const name = key.split('/').pop()!;
        const base = `${CDN}/${key.slice(0, key.lastIndexOf('/'))}`;
        let url = `${base}/${name}/v1/${name}`;
        if (name.endsWith('.quiz.yaml')) {
          url = `${base}/${name}/v1/quiz.json`;
          files.set(url, JSON.stringify({ title: /title: (.*)/.exec(new TextDecoder().decode(bytes))![1] }));
        } else if (name.endsWith('.mp4')) {
          url = `${base}/${name}/v1/hls/master.m3u8`;
          files.set(url, '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=400000\nv0/index.m3u8\n');
          files.set(`${base}/${name}/v1/hls/v0/index.m3u8`, '#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nseg0.ts\n#EXT-X-ENDLIST\n');
          files.set(`${base}/${name}/v1/hls/v0/seg0.ts`, new Uint8Array(188).fill(0x47));
        } else if (name.endsWith('.vtt')) {
          const video = name.replace(/\.en\.vtt$/, '.mp4');
          manifest[video] = { url: `${base}/${video}/v1/hls/master.captions-1.m3u8` };
          files.set(manifest[video].url, '#EXTM3U\n#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",URI="captions-en.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=400000,SUBTITLES="subs"\nv0/index.m3u8\n');
          files.set(url, bytes);
        } else {
          files.set(url, bytes);
        }
        if (name.endsWith('.mp4')) manifest[name] ??= { url };
        files.set(`${base}/manifest.json`, JSON.stringify({ assets: manifest }));
        if (change.publish?.(key) === false) return;
        await uploads.put(`_reports/${key}.json`, JSON.stringify({ status: 'published', reasons: [], url }));
      },
      fetch: async (url, cookie) => {
        const body = files.get(url);
        if (body === undefined) return response(404);
        if (cookie !== COOKIE && !change.open?.(url)) return response(403);
        return response(200, change.serve ? change.serve(url, body) : body);
      },
      grant: async () => COOKIE,
      makeVideo: async () => new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70]),
      timeoutMs: 60_000, // the report is written at once: a bound, not a budget
      pollMs: 20,
    };
  }

  it('passes on a stage that publishes and signs every kind, and leaves no upload behind', async () => {
    const result = await runSmoke(fakeStage());
    expect(result.steps.filter((s) => !s.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(await uploads.list('courses/')).toEqual([]);
    expect(await uploads.list('_reports/')).toEqual([]);
  });

  it('fails when a video segment is served without a grant', async () => {
    const result = await runSmoke(fakeStage({ open: (url) => url.endsWith('.ts') }));
    expect(result.ok).toBe(false);
    expect(result.steps.filter((s) => !s.ok).map((s) => s.step)).toEqual(['video: its first segment refused without a grant']);
  });

  it('fails when the published PDF is not the uploaded one', async () => {
    const result = await runSmoke(fakeStage({ serve: (url, body) => (url.endsWith('.pdf') ? '%PDF-1.7 something else' : body) }));
    expect(result.steps.filter((s) => !s.ok).map((s) => s.step)).toEqual(['pdf: content']);
  });

  it('fails when the captions do not reach the video master', async () => {
    const result = await runSmoke(fakeStage({ serve: (url, body) => (url.includes('master.captions') ? '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=400000\nv0/index.m3u8\n' : body) }));
    expect(result.steps.filter((s) => !s.ok)).toEqual([{ step: 'captions: subtitle track', ok: false, detail: '0 subtitle rendition(s): none' }]);
  });

  it('fails, and still cleans up, when nothing is published in time', async () => {
    const silent = await runSmoke({ ...fakeStage({ publish: (key) => !key.endsWith('.pdf') }), kinds: ['quiz', 'pdf'], timeoutMs: 300 });
    expect(silent.ok).toBe(false);
    expect(silent.steps.find((s) => s.step === 'pdf: processed')).toMatchObject({ ok: false, detail: 'no report after 300 ms' });
    expect(silent.steps.find((s) => s.step === 'quiz: content')).toMatchObject({ ok: true });
    expect(await uploads.list('courses/')).toEqual([]);
  });

  it('fails when the quiz the CDN serves is another one', async () => {
    const wrong = await runSmoke({ ...fakeStage({ serve: (url, body) => (url.endsWith('quiz.json') ? '{"title":"stale"}' : body) }), kinds: ['quiz'] });
    expect(wrong.ok).toBe(false);
    expect(wrong.steps.find((s) => s.step === 'quiz: content')).toMatchObject({ ok: false, detail: expect.stringContaining('got "stale"') });
  });
});
