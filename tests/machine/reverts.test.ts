/**
 * Reverts: the latest upload of a key is current, whatever bytes the key held before. A → B → A
 * publishes A again — the lesson manifest, the report beside the upload, the asset's current
 * version and `lectern status` all name the third upload — through the real state machine with
 * the local twins (a versioned upload bucket, as on AWS), and through `lectern run` as a user runs it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStack } from '../../local/local-stack.js';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { GOOD_GIFT, makeTextPdf, text } from '../helpers/upload-fixtures.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/lectern.js');
const LESSON = 'courses/genetics/lessons/inheritance';

const GIFT_B = `${GOOD_GIFT}\n::Extra:: Is DNA a nucleic acid? {T}\n`;

describe.each(DIALECTS)('a file reverted to earlier bytes is current again ($name)', (dialect) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await openTestStack(dialect);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const manifestEntry = async (fileName: string) =>
    (JSON.parse(new TextDecoder().decode((await stack.published.get(`${LESSON}/manifest.json`))!)) as { assets: Record<string, { url: string; assetVersionId: string; version: string }> }).assets[fileName]!;
  const currentVersion = async (fileName: string) =>
    (await stack.db.selectFrom('assets').select('current_version_id').where('file_name', '=', fileName).executeTakeFirstOrThrow()).current_version_id;

  it('A → B → A: manifest, report and database point at the third upload, A’s bytes', async () => {
    const key = `${LESSON}/handout.pdf`;
    const a = await makeTextPdf({ title: 'Handout, first edition' });
    const b = await makeTextPdf({ title: 'Handout, second edition', pages: 2 });

    const first = await stack.upload(key, a);
    const second = await stack.upload(key, b);
    const third = await stack.upload(key, a);
    for (const r of [first, second, third]) expect(r).toMatchObject({ status: 'published', kind: 'pdf' });
    expect(new Set([first.assetVersionId, second.assetVersionId, third.assetVersionId]).size).toBe(3);
    expect(second.url).not.toBe(first.url);
    expect(third.url).toBe(first.url); // the same bytes are published at the same content address

    expect(await manifestEntry('handout.pdf')).toMatchObject({ url: first.url, assetVersionId: third.assetVersionId });
    expect(await stack.report(key)).toMatchObject({ status: 'published', url: first.url, assetVersionId: third.assetVersionId });
    expect(await currentVersion('handout.pdf')).toBe(third.assetVersionId);
    // What students fetch is A again.
    const served = await stack.published.get(decodeURIComponent(new URL(third.url!).pathname.slice(1)));
    expect(Buffer.from(served!).equals(Buffer.from(a))).toBe(true);

    // The same bytes uploaded again while they are current are not a new upload.
    expect((await stack.upload(key, a)).assetVersionId).toBe(third.assetVersionId);
  });

  it('a quiz reverted twice ends on the bytes uploaded last', async () => {
    const key = `${LESSON}/check.gift`;
    const ids: string[] = [];
    for (const body of [GOOD_GIFT, GIFT_B, GOOD_GIFT, GIFT_B]) {
      const r = await stack.upload(key, text(body));
      expect(r.status).toBe('published');
      ids.push(r.assetVersionId);
    }
    expect(new Set(ids).size).toBe(4);
    const entry = await manifestEntry('check.gift');
    expect(entry.assetVersionId).toBe(ids[3]);
    const quiz = JSON.parse(new TextDecoder().decode((await stack.published.get(decodeURIComponent(new URL(entry.url).pathname.slice(1))))!)) as { questions: unknown[] };
    expect(quiz.questions).toHaveLength(3);
    expect(await stack.report(key)).toMatchObject({ assetVersionId: ids[3], url: entry.url });
    expect(await currentVersion('check.gift')).toBe(ids[3]);
  });
});

describe('lectern run: a revert takes effect', { timeout: 300_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-revert-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function runFile(bytes: Uint8Array): Promise<{ status: string; url: string; assetVersionId: string }> {
    await writeFile(path.join(dir, 'slides.pdf'), bytes);
    const { stdout } = await run(process.execPath, [BIN, 'run', 'slides.pdf', '--course', 'genetics', '--lesson', 'inheritance', '--state-dir', 'state', '--json'], { cwd: dir });
    const [result] = JSON.parse(stdout) as Array<{ status: string; url: string; assetVersionId: string }>;
    return result!;
  }

  it('runs A, B, then A again: status, manifest and report say A', async () => {
    const a = await makeTextPdf({ title: 'Slides A' });
    const b = await makeTextPdf({ title: 'Slides B' });
    const first = await runFile(a);
    const second = await runFile(b);
    const third = await runFile(a);
    expect([first.status, second.status, third.status]).toEqual(['published', 'published', 'published']);
    expect(third.url).toBe(first.url);
    expect(third.assetVersionId).not.toBe(first.assetVersionId);

    const { stdout } = await run(process.execPath, [BIN, 'status', '--local', '--state-dir', 'state', '--json'], { cwd: dir });
    const status = JSON.parse(stdout) as { courses: Array<{ lessons: Array<{ assets: Array<{ fileName: string; current?: { assetVersionId: string; url?: string } }> }> }> };
    const asset = status.courses[0]!.lessons[0]!.assets.find((x) => x.fileName === 'slides.pdf');
    expect(asset?.current).toMatchObject({ assetVersionId: third.assetVersionId, url: first.url });

    const stack = await openLocalStack({ stateDir: path.join(dir, 'state') });
    try {
      const manifest = JSON.parse(new TextDecoder().decode((await stack.published.get('courses/genetics/lessons/inheritance/manifest.json'))!)) as { assets: Record<string, { url: string; assetVersionId: string }> };
      expect(manifest.assets['slides.pdf']).toMatchObject({ url: first.url, assetVersionId: third.assetVersionId });
      const report = JSON.parse(new TextDecoder().decode((await stack.uploads.get('_reports/courses/genetics/lessons/inheritance/slides.pdf.json'))!)) as Record<string, unknown>;
      expect(report).toMatchObject({ status: 'published', url: first.url, assetVersionId: third.assetVersionId });
    } finally {
      await stack.close();
    }
  });
});
