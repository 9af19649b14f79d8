/** `lectern dev` as a user runs it: drop a file into the uploads folder, see it published and served. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { BROKEN_GIFT, GOOD_GIFT } from '../helpers/upload-fixtures.js';


let dir: string;
let child: ChildProcess;
let output = '';

// A bound, not a budget: it returns as soon as the line appears; a cold start on a busy two-core
// machine can take minutes.
async function waitFor(pattern: RegExp, timeoutMs = 300_000): Promise<RegExpMatchArray> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const match = output.match(pattern);
    if (match) return match;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern}; output so far:\n${output}`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lectern-dev-'));
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await new Promise((r) => (child && child.exitCode === null ? child.once('exit', r) : r(undefined)));
  await rm(dir, { recursive: true, force: true });
});

it('watches the uploads folder, publishes new files, serves them and lists what happened', async () => {
  const port = await freePort();
  // No full rescan during the test: the file-system events alone bring the new files in.
  child = spawn(process.execPath, [path.resolve('bin/lectern.js'), 'dev', '--port', String(port), '--state-dir', 'state', '--poll-ms', '100', '--rescan-ms', '3600000'], { cwd: dir });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(/serving http:\/\/127\.0\.0\.1:\d+/);

  const lesson = path.join(dir, 'state/uploads/courses/bio-101/lessons/week-1');
  await mkdir(lesson, { recursive: true });
  await writeFile(path.join(lesson, 'intro.gift'), GOOD_GIFT);
  const [, url] = await waitFor(/published courses\/bio-101\/lessons\/week-1\/intro\.gift → (\S+)/);
  expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/courses/bio-101/lessons/week-1/intro\\.gift/[0-9a-f]{16}/quiz\\.json$`));

  const quiz = (await (await fetch(url!)).json()) as { questions: unknown[] };
  expect(quiz.questions).toHaveLength(2);
  const manifest = await fetch(`http://127.0.0.1:${port}/courses/bio-101/lessons/week-1/manifest.json`);
  expect(manifest.headers.get('cache-control')).toMatch(/max-age=60/);
  expect(((await manifest.json()) as { assets: Record<string, unknown> }).assets).toHaveProperty(['intro.gift']);

  await writeFile(path.join(lesson, 'broken.gift'), BROKEN_GIFT);
  await waitFor(/rejected courses\/bio-101\/lessons\/week-1\/broken\.gift/);
  await waitFor(/line 3, column 1: .*no correct answer/);

  // The preview page lists what happened (rendered on the server; the browser tests cover the rest).
  const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  expect(page).toMatch(/<a href="#\/courses\/bio-101">bio-101<\/a>/);
  expect(page).toMatch(/badge-rejected[^]*?bio-101 › week-1 › broken\.gift<\/a><p class="attention-key">courses\/bio-101\/lessons\/week-1\/broken\.gift</);
  const status = (await (await fetch(`http://127.0.0.1:${port}/_lectern/status.json`)).json()) as {
    courses: Array<{ slug: string; lessons: Array<{ slug: string; assets: Array<{ fileName: string; state: string; published?: { url: string } }> }> }>;
  };
  const assets = status.courses.find((c) => c.slug === 'bio-101')?.lessons.find((l) => l.slug === 'week-1')?.assets ?? [];
  expect(assets.map((a) => [a.fileName, a.state])).toEqual([
    ['broken.gift', 'rejected'],
    ['intro.gift', 'published'],
  ]);
  expect(assets[1]?.published?.url).toBe(new URL(url!).pathname);
  expect((await fetch(`http://127.0.0.1:${port}/.meta/x`)).status).toBe(404);
  expect((await fetch(`http://127.0.0.1:${port}/../../etc/passwd`)).status).toBe(404);
}, 600_000);
