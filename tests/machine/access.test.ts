/**
 * Signed playback through the local stack: a stage whose access is `signed`, a course published by
 * the real state machine (a video, a PDF, a quiz; a free-preview lesson), served by the CDN twin
 * that verifies CloudFront signed cookies made by `@aws-sdk/cloudfront-signer` (the grant
 * use-case). What a student's browser would get, request by request.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../local/static-server.js';
import { DependencyUnavailableError } from '../../shared/contract/errors.js';
import { grantAccess, type Grant } from '../../shared/use-cases/grant-access.js';
import { parseMasterPlaylist, parseMediaPlaylist, resolveKey } from '../../shared/video/hls-playlist.js';
import { DIALECTS } from '../helpers/dialects.js';
import { freePort } from '../helpers/free-port.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { makeMedia } from '../helpers/make-media.js';
import { simplePdf } from '../helpers/make-pdf.js';

const COURSE = 'courses/bio-101';
const QUIZ = 'title: Cells\nquestions:\n  - type: true-false\n    stem: Cells have a membrane.\n    correct: true\n';
const courseYaml = (introAccess: string) =>
  `title: Biology 101\nlessons:\n  - slug: intro\n    title: Welcome\n    access: ${introAccess}\n  - slug: cells\n    title: Cells\n`;

describe('signed playback through the local CDN twin (stage access: signed)', () => {
  let stack: TestStack;
  let server: Server;
  let base: string;
  const denied: string[] = [];
  const urls: Record<string, string> = {};
  const broken = new Set<string>();

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    stack = await openTestStack(DIALECTS[0]!, { LECTERN_ACCESS: 'signed' }, {
      baseUrl: base,
      faults: (state) => (broken.has(state) ? new DependencyUnavailableError(`${state}: injected outage`) : undefined),
    });
    ({ server } = await startStaticServer({ root: `${stack.stateDir}/published`, db: stack.db, port, access: { ...stack.cdnAccess, onDenied: (p, reason) => denied.push(`${p}: ${reason}`) } }));
    const results = [
      await stack.upload(`${COURSE}/course.yaml`, new TextEncoder().encode(courseYaml('public'))),
      await stack.upload(`${COURSE}/lessons/cells/lecture.mp4`, await makeMedia({ duration: 2, width: 320, height: 240 })),
      await stack.upload(`${COURSE}/lessons/cells/notes.pdf`, simplePdf()),
      await stack.upload(`${COURSE}/lessons/cells/check.quiz.yaml`, new TextEncoder().encode(QUIZ)),
      await stack.upload(`${COURSE}/lessons/intro/welcome.quiz.yaml`, new TextEncoder().encode(QUIZ)),
    ];
    for (const result of results) {
      expect(result, `${result.key}: ${JSON.stringify(result.reasons)}`).toMatchObject({ status: 'published' });
      if (result.url) urls[result.key.split('/').pop()!] = result.url;
    }
  }, 600_000);
  afterAll(async () => {
    server?.close();
    await stack?.dispose();
  });

  const status = async (url: string, cookie?: string) => (await fetch(url, { headers: cookie ? { cookie } : {} })).status;
  const cookieOf = (grant: Grant) => grant.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const grant = (course: string, now = new Date(), ttlSeconds = 3600) => grantAccess({ course, ttlSeconds }, { ...stack.deps, now: () => now });

  /** The master playlist, every media playlist and every segment it names. */
  async function playlistUrls(masterUrl: string): Promise<string[]> {
    const key = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
    const text = async (k: string) => new TextDecoder().decode((await stack.published.get(k))!);
    const masterKey = key(masterUrl);
    const all = [masterKey];
    const master = parseMasterPlaylist(await text(masterKey));
    for (const variant of master.variants) {
      const mediaKey = resolveKey(masterKey, variant.uri);
      all.push(mediaKey, ...parseMediaPlaylist(await text(mediaKey)).segments.map((s) => resolveKey(mediaKey, s.uri)));
    }
    return all.map((k) => `${base}/${k}`);
  }

  it('answers 403 without cookies: master playlist, segments, PDF, quiz and the lesson manifest', async () => {
    const files = [...(await playlistUrls(urls['lecture.mp4']!)), urls['notes.pdf']!, urls['check.quiz.yaml']!, `${base}/${COURSE}/lessons/cells/manifest.json`];
    for (const url of files) expect(await status(url), url).toBe(403);
    expect(denied.some((line) => line.includes('missing signed cookie(s)'))).toBe(true);
  });

  it('answers 200 with a grant for the course: the master playlist, every segment, the PDF and the quiz', async () => {
    const cookie = cookieOf(await grant('bio-101'));
    const files = [...(await playlistUrls(urls['lecture.mp4']!)), urls['notes.pdf']!, urls['check.quiz.yaml']!, `${base}/${COURSE}/lessons/cells/manifest.json`];
    expect(files.filter((url) => url.endsWith('.ts') || url.endsWith('.m4s') || url.endsWith('.mp4')).length).toBeGreaterThan(0);
    for (const url of files) expect(await status(url, cookie), url).toBe(200);
    const quiz = (await (await fetch(urls['check.quiz.yaml']!, { headers: { cookie } })).json()) as { title: string };
    expect(quiz.title).toBe('Cells');
  });

  it('answers 403 to a grant for another course, an expired grant, and a tampered policy or signature', async () => {
    const pdf = urls['notes.pdf']!;
    expect(await status(pdf, cookieOf(await grant('chem-201')))).toBe(403);
    expect(await status(pdf, cookieOf(await grant('bio-101', new Date(Date.now() - 2 * 3600_000), 3600)))).toBe(403);
    const good = await grant('bio-101');
    const tamper = (name: string, change: (value: string) => string) =>
      good.cookies.map((c) => `${c.name}=${c.name === name ? change(c.value) : c.value}`).join('; ');
    const widened = (value: string) => {
      const policy = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64').toString().replace('/courses/bio-101/*', '/courses/*');
      return Buffer.from(policy).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
    };
    expect(await status(pdf, tamper('CloudFront-Policy', widened))).toBe(403);
    expect(await status(pdf, tamper('CloudFront-Signature', (v) => `${v.slice(0, 20)}${v[20] === 'A' ? 'B' : 'A'}${v.slice(21)}`))).toBe(403);
    expect(await status(pdf, cookieOf(good))).toBe(200);
    expect(denied.some((line) => line.includes('the signature does not match the policy'))).toBe(true);
    expect(denied.some((line) => line.includes('expired'))).toBe(true);
  });

  it('serves a public lesson without cookies, its manifest pointing at the public copies', async () => {
    const manifestUrl = `${base}/public/${COURSE}/lessons/intro/manifest.json`;
    const response = await fetch(manifestUrl);
    expect(response.status).toBe(200);
    const manifest = (await response.json()) as { access: string; assets: Record<string, { url: string }> };
    expect(manifest.access).toBe('public');
    const quizUrl = manifest.assets['welcome.quiz.yaml']!.url;
    expect(quizUrl.startsWith(`${base}/public/${COURSE}/lessons/intro/`)).toBe(true);
    expect(await status(quizUrl)).toBe(200);
    // The signed lesson has no public copy.
    expect(await status(`${base}/public/${COURSE}/lessons/cells/manifest.json`)).toBe(404);
  });

  it('follows course.yaml: a lesson made signed loses its public copies, one made public gains them', async () => {
    const before = (await stack.cdn.log()).length;
    const changed = await stack.upload(`${COURSE}/course.yaml`, new TextEncoder().encode(`${courseYaml('signed')}    access: public\n`));
    expect(changed.status).toBe('published');
    // UpsertCourse (in the database's VPC) only says which paths changed; InvalidateCdn, outside
    // the VPC where CloudFront's API is reachable, purges them.
    const execution = await stack.orchestrator.describe(changed.assetVersionId);
    expect(execution!.history.filter((e) => e.type === 'StateEntered').map((e) => e.state)).toEqual([
      'ClassifyUpload', 'RouteByKind', 'UpsertCourse', 'CheckCourseVerdict', 'CourseInvalidationPaths', 'InvalidateCdn', 'RecordOrDone', 'Published',
    ]);
    expect((await stack.cdn.log()).slice(before).map((i) => i.paths)).toEqual([[`/public/${COURSE}/lessons/cells/manifest.json`, `/public/${COURSE}/lessons/intro/*`]]);
    expect(await status(`${base}/public/${COURSE}/lessons/intro/manifest.json`)).toBe(404);
    expect((await stack.publishedTree())).not.toHaveProperty([`public/${COURSE}/lessons/intro/manifest.json`]);
    const cellsManifest = await fetch(`${base}/public/${COURSE}/lessons/cells/manifest.json`);
    expect(cellsManifest.status).toBe(200);
    const assets = ((await cellsManifest.json()) as { assets: Record<string, { url: string }> }).assets;
    for (const url of await playlistUrls(assets['lecture.mp4']!.url.replace('/public/', '/'))) expect(await status(url.replace(`${base}/`, `${base}/public/`)), url).toBe(200);
    expect(await status(assets['notes.pdf']!.url)).toBe(200);
  });

  it('purges after a course.yaml whose invalidation failed once it is redriven, resuming at InvalidateCdn', async () => {
    const key = `${COURSE}/course.yaml`;
    const before = (await stack.cdn.log()).length;
    broken.add('InvalidateCdn');
    const failed = await stack.upload(key, new TextEncoder().encode(`${courseYaml('public')}# the intro is free again\n`));
    broken.delete('InvalidateCdn');
    // The course is recorded and the copies are made; only the purge is missing.
    expect(failed.status).toBe('published');
    expect(await status(`${base}/public/${COURSE}/lessons/intro/manifest.json`)).toBe(200);
    const execution = await stack.orchestrator.describe(failed.assetVersionId);
    expect(execution).toMatchObject({ status: 'FAILED' });
    expect(execution!.history.filter((e) => e.type === 'StateEntered').at(-1)?.state).toBe('MarkFailed');
    expect((await stack.cdn.log()).length).toBe(before);

    expect(await stack.orchestrator.redriveExecution(failed.assetVersionId)).toMatchObject({ redriveCount: 1 });
    const redriven = await stack.orchestrator.wait(failed.assetVersionId);
    expect(redriven).toMatchObject({ status: 'SUCCEEDED' });
    const resumed = redriven.history.slice(redriven.history.findIndex((e) => e.type === 'ExecutionRedriven'));
    expect(resumed.filter((e) => e.type === 'StateEntered').map((e) => e.state)).toEqual(['MarkFailed', 'ResumeFailedStep', 'InvalidateCdn', 'RecordOrDone', 'Published']);
    expect((await stack.cdn.log()).slice(before).map((i) => i.paths)).toEqual([[`/public/${COURSE}/lessons/cells/*`, `/public/${COURSE}/lessons/intro/manifest.json`]]);
  });
});
