import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { runSmoke } from '../../shared/use-cases/smoke.js';

const run = promisify(execFile);

describe('lectern smoke', () => {
  it('passes against the local stack (signed): uploads, publishes, is refused without a grant, fetches with one, cleans up', async () => {
    const { stdout } = await run(process.execPath, [path.resolve('bin/lectern.js'), 'smoke', '--local', '--json'], { maxBuffer: 10 * 1024 * 1024 });
    const result = JSON.parse(stdout) as { ok: boolean; steps: Array<{ step: string; ok: boolean }> };
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.step)).toEqual(['upload', 'processed', 'refused without a grant', 'granted', 'fetched through the CDN with the grant', 'content', 'clean up']);
  }, 600_000); // a whole local stack in a subprocess: minutes on a busy two-core machine

  it('fails, and still cleans up, when nothing is published in time or the CDN serves something else', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lectern-smoke-unit-'));
    try {
      const uploads = new FsObjectStore(dir);
      const silent = await runSmoke({ uploads, submit: async (key, bytes) => void (await uploads.put(key, bytes)), fetch: async () => ({ status: 200, text: async () => '' }), timeoutMs: 200, pollMs: 20 });
      expect(silent.ok).toBe(false);
      expect(silent.steps.find((s) => s.step === 'processed')).toMatchObject({ ok: false, detail: 'no report after 200 ms' });
      expect(await uploads.list('courses/')).toEqual([]);

      const wrong = await runSmoke({
        uploads,
        submit: async (key, bytes) => {
          await uploads.put(key, bytes);
          await uploads.put(`_reports/${key}.json`, JSON.stringify({ status: 'published', reasons: [], url: 'http://cdn/x' }));
        },
        fetch: async () => ({ status: 200, text: async () => '{"title":"stale"}' }),
        timeoutMs: 60_000, // the report is there at once: a bound, not a budget
        pollMs: 20,
      });
      expect(wrong.ok).toBe(false);
      expect(wrong.steps.find((s) => s.step === 'content')).toMatchObject({ ok: false });
      expect(await uploads.list('')).toEqual([]);

      // A signed stage whose CDN serves the file without a grant fails the smoke test.
      const open = await runSmoke({
        uploads,
        submit: async (key, bytes) => {
          await uploads.put(key, bytes);
          await uploads.put(`_reports/${key}.json`, JSON.stringify({ status: 'published', reasons: [], url: 'http://cdn/x' }));
        },
        fetch: async () => ({ status: 200, text: async () => '{}' }),
        grant: async () => 'CloudFront-Policy=p',
        timeoutMs: 1000,
        pollMs: 20,
      });
      expect(open.ok).toBe(false);
      expect(open.steps.find((s) => s.step === 'refused without a grant')).toMatchObject({ ok: false, detail: 'http://cdn/x'.replace(/^/, '200 ') + ' (expected 403: is courses/* trusting the key group?)' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
