/**
 * What `lectern run` loads: compiled JavaScript only (no TypeScript transpiled at run time), and
 * only the handlers of the states an upload enters — a quiz never loads pdf.js (nor the canvas it
 * brings) or MediaInfo.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_GIFT } from '../helpers/upload-fixtures.js';

const run = promisify(execFile);

describe('lectern run loads what the upload needs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-modules-'));
    await writeFile(path.join(dir, 'intro.gift'), GOOD_GIFT);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes a quiz from compiled JavaScript without loading the PDF or video engines', async () => {
    const record = path.join(dir, 'modules.txt');
    const args = ['--import', path.resolve('tests/fixtures/record-modules.mjs'), path.resolve('bin/lectern.js'), 'run', 'intro.gift', '--course', 'bio-101', '--lesson', 'week-1', '--json', '--state-dir', 'state'];
    const { stdout } = await run(process.execPath, args, { cwd: dir, env: { ...process.env, LECTERN_RECORD_MODULES: record } });
    expect((JSON.parse(stdout) as Array<{ status: string }>).map((r) => r.status)).toEqual(['published']);

    const loaded = (await readFile(record, 'utf8')).trim().split('\n');
    expect(loaded).toContain(new URL('../../dist/functions/validate-quiz/handler.js', import.meta.url).href);
    expect(loaded.filter((url) => /\.[cm]?tsx?$/.test(url) || url.includes('/node_modules/tsx/'))).toEqual([]);
    for (const unneeded of ['/node_modules/pdfjs-dist/', '/node_modules/@napi-rs/canvas', '/node_modules/mediainfo.js/', '/functions/validate-pdf/', '/functions/probe-video/']) {
      expect(loaded.filter((url) => url.includes(unneeded))).toEqual([]);
    }
  });
});
