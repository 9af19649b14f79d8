/**
 * What `lectern run` loads: the compiled bundle (dist/bundle/, no TypeScript transpiled at run
 * time, no package resolved module by module), and only the handlers of the states an upload
 * enters — a quiz never loads pdf.js (nor the canvas it brings) or MediaInfo.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simplePdf } from '../helpers/make-pdf.js';
import { GOOD_GIFT } from '../helpers/upload-fixtures.js';

const run = promisify(execFile);

describe('lectern run loads what the upload needs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-modules-'));
    await writeFile(path.join(dir, 'intro.gift'), GOOD_GIFT);
    await writeFile(path.join(dir, 'notes.pdf'), simplePdf({ pages: 2 }));
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
    const bundle = new URL('../../dist/bundle/', import.meta.url).href;
    expect(loaded).toContain(`${bundle}function-validate-quiz.js`);
    expect(loaded.filter((url) => /\.[cm]?tsx?$/.test(url) || url.includes('/node_modules/tsx/'))).toEqual([]);
    for (const unneeded of ['/node_modules/pdfjs-dist/', '/node_modules/@napi-rs/canvas', '/node_modules/mediainfo.js/', '/function-validate-pdf.js', '/function-probe-video.js']) {
      expect(loaded.filter((url) => url.includes(unneeded))).toEqual([]);
    }
    // Packages come bundled: what is still loaded from node_modules is what the bundle leaves out
    // (PGlite, which reads its WebAssembly beside its code), not hundreds of separate modules.
    const fromPackages = loaded.filter((url) => url.includes('/node_modules/'));
    expect(fromPackages.filter((url) => !url.includes('/node_modules/@electric-sql/pglite/'))).toEqual([]);
    // Handlers come from their create-handler module: the AWS binding beside it (handler.ts), and
    // with it every AWS SDK client, is for Lambda only. No loaded file of the bundle holds one, nor
    // the CloudFront signer (and the Smithy modules it brings), which only a grant needs, nor pg's
    // client, which only a DATABASE_URL needs (the run is on the embedded database).
    const withSdk = loaded.filter((url) => url.startsWith(bundle) && /node_modules\/(@aws-sdk\/(client-|cloudfront-signer)|pg\/lib\/client\.js)/.test(readFileSync(new URL(url), 'utf8')));
    expect(withSdk).toEqual([]);
    const bin = new URL('../../bin/lectern.js', import.meta.url).href;
    expect(loaded.filter((url) => url.startsWith('file:') && url !== bin && !url.startsWith(bundle) && !url.includes('/node_modules/'))).toEqual([]);
  });

  it('publishes a PDF with nothing on stderr: pdf.js loads after lectern\'s polyfills, so its advice to use its legacy build is held back', async () => {
    const args = [path.resolve('bin/lectern.js'), 'run', 'notes.pdf', '--course', 'bio-101', '--lesson', 'week-1', '--json', '--state-dir', 'state-pdf'];
    const { stdout, stderr } = await run(process.execPath, args, { cwd: dir });
    expect((JSON.parse(stdout) as Array<{ status: string }>).map((r) => r.status)).toEqual(['published']);
    expect(stderr).toBe('');
  });
});
