/**
 * Truncated and damaged video, through the real state machine with the local twins and ffmpeg:
 * - an MP4 cut short is `video.unreadable` from the probe — with its index intact (moov first, the
 *   probe sees the declared duration) and with the index lost (moov last) — with a reason that says
 *   it is incomplete, without a transcode;
 * - a video whose header declares three times what it plays is transcoded, then rejected as
 *   `video.duration-mismatch` by VerifyOutputs, and its outputs are removed: nothing of a rejected
 *   upload stays under a published prefix.
 * The media are made here: ffmpeg encodes them, then the test cuts or patches their bytes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { FFMPEG, ffmpegAvailable, makeMedia, requireFfmpeg } from '../helpers/make-media.js';

const run = promisify(execFile);
const LESSON = 'courses/anatomy/lessons/the-heart';
const dialect = DIALECTS[DIALECTS.length - 1]!;

/** The MP4 remuxed with its index (moov) first, as `-movflags +faststart` writes it for streaming. */
async function faststart(bytes: Uint8Array): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-faststart-'));
  try {
    await writeFile(path.join(dir, 'in.mp4'), bytes);
    await run(FFMPEG!, ['-hide_banner', '-loglevel', 'error', '-i', path.join(dir, 'in.mp4'), '-c', 'copy', '-movflags', '+faststart', path.join(dir, 'out.mp4')]);
    return new Uint8Array(await readFile(path.join(dir, 'out.mp4')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A Matroska file whose Segment Info says it lasts `factor` times longer than its frames play. */
function declareLonger(mkv: Uint8Array, factor: number): Uint8Array {
  const bytes = new Uint8Array(mkv);
  const at = bytes.findIndex((b, i) => b === 0x44 && bytes[i + 1] === 0x89 && bytes[i + 2] === 0x88); // Duration, an 8-byte float
  if (at < 0) throw new Error('no Duration element in the Matroska header');
  const view = new DataView(bytes.buffer, bytes.byteOffset + at + 3, 8);
  view.setFloat64(0, view.getFloat64(0) * factor);
  return bytes;
}

describe.runIf(ffmpegAvailable || requireFfmpeg())(`truncated and damaged video (${dialect.name})`, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await openTestStack(dialect);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const publishedUnder = async (fileName: string) => stack.published.list(`${LESSON}/${fileName}/`);
  const transcodesOf = async (assetVersionId: string) =>
    stack.db.selectFrom('transcode_jobs').select('status').where('asset_version_id', '=', assetVersionId).execute();

  it('an MP4 cut short is video.unreadable from the probe, index intact or lost, and is not transcoded', async () => {
    const whole = await makeMedia({ duration: 4, width: 320, height: 240 });
    const indexFirst = await faststart(whole);
    const cases = [
      { name: 'index-first.mp4', bytes: indexFirst.slice(0, Math.floor(indexFirst.byteLength * 0.6)), share: /holds \d+ KB of the \d+ KB it declares \((59|60) %\)/ },
      { name: 'index-last.mp4', bytes: whole.slice(0, Math.floor(whole.byteLength * 0.6)), share: /holds \d+ KB of the \d+ KB it declares/ },
      { name: 'last-bytes-missing.mp4', bytes: indexFirst.slice(0, indexFirst.byteLength - 100), share: /\(99 %\)/ },
    ];
    for (const c of cases) {
      const key = `${LESSON}/${c.name}`;
      const result = await stack.upload(key, c.bytes);
      expect(result.status, c.name).toBe('rejected');
      expect(result.reasons, c.name).toEqual([{ code: 'video.unreadable', message: expect.stringContaining(`"${c.name}" is incomplete`) }]);
      expect(result.reasons[0]!.message, c.name).toMatch(c.share);
      expect(result.reasons[0]!.message, c.name).toContain('the upload or the export was cut short');
      expect(await stack.report(key), c.name).toMatchObject({ status: 'rejected', reasons: result.reasons });
      expect(await transcodesOf(result.assetVersionId), `${c.name}: no transcode`).toEqual([]);
      expect(await publishedUnder(c.name), c.name).toEqual([]);
    }
    // The whole file is fine: the verdict is about the missing bytes.
    expect(await stack.upload(`${LESSON}/whole.mp4`, indexFirst)).toMatchObject({ status: 'published', kind: 'video' });
  });

  it('a video that plays shorter than it declares is rejected after its transcode, and its outputs are removed', async () => {
    const result = await stack.upload(`${LESSON}/overstated.mkv`, declareLonger(await makeMedia({ duration: 2, width: 160, height: 120, format: 'mkv' }), 3));
    expect(result.status).toBe('rejected');
    expect(result.reasons).toEqual([{ code: 'video.duration-mismatch', message: expect.stringMatching(/says it lasts 6(\.\d)? s, but it plays for 2(\.\d)? s/) }]);
    expect((await transcodesOf(result.assetVersionId)).map((j) => j.status)).toEqual(['COMPLETE']);
    expect(await publishedUnder('overstated.mkv')).toEqual([]);
    const manifest = await stack.published.get(`${LESSON}/manifest.json`);
    expect(manifest ? Object.keys((JSON.parse(new TextDecoder().decode(manifest)) as { assets: object }).assets) : []).not.toContain('overstated.mkv');
  });
});
