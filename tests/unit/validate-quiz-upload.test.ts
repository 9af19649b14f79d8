/**
 * ValidateQuiz checks the images a quiz shows against the files uploaded to its lesson, and
 * publishes a checked copy of each beside quiz.json — and lists the lesson only for a quiz that
 * shows one, so a lesson of a thousand quizzes is not listed a thousand times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { parseConfig } from '../../shared/runtime/config.js';
import type { ValidateInput } from '../../shared/contract/pipeline.js';
import { validateQuizUpload } from '../../shared/use-cases/validate-quiz-upload.js';
import { solidPng } from '../helpers/make-image.js';
import { renderQuiz } from '../../local/preview/client/quiz-render.js';
import { uploaded } from '../helpers/uploaded.js';

/** The upload bucket, counting its listings. */
class CountingStore extends FsObjectStore {
  listings = 0;
  override async list(prefix: string): Promise<string[]> {
    this.listings++;
    return super.list(prefix);
  }
}

describe('validateQuizUpload', () => {
  let dir: string;
  let uploads: CountingStore;
  const config = parseConfig({ LECTERN_RUNTIME: 'local', CDN_BASE_URL: 'http://127.0.0.1:4321' });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-quiz-use-case-'));
    uploads = new CountingStore(dir, { bucket: 'uploads' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const upload = (fileName: string, text: string): Promise<ValidateInput> => uploaded(uploads, fileName, text, { course: 'bio-101', lesson: 'week-1', eventTime: '2026-05-01T10:00:00Z' });

  it('accepts a quiz without images without listing the lesson', async () => {
    const before = uploads.listings;
    const validation = await validateQuizUpload(await upload('plain.gift', '::Q1:: What is 2+2? {=4 ~3 ~5}\n'), { config, uploads });
    expect(validation).toMatchObject({ accepted: true, warnings: [] });
    expect(uploads.listings).toBe(before);
  });

  it('warns about an image that was not uploaded to the lesson, and publishes the one that was beside quiz.json', async () => {
    const png = solidPng(6, 4, [0, 120, 0]);
    await uploads.put('courses/bio-101/lessons/week-1/cell.png', png);
    const gift = '::Q1:: [html]<p>Which organelle? <img src="cell.png" alt="a cell"></p> {=Nucleus ~Ribosome}\n\n::Q2:: [html]<p>And here? <img src="missing.png" alt="?"></p> {=Mitochondrion ~Golgi}\n';
    const validation = await validateQuizUpload(await upload('images.gift', gift), { config, uploads });
    expect(validation.accepted).toBe(true);
    expect(validation.warnings.map((w) => [w.code, w.message.match(/'([^']+)'/)?.[1]])).toEqual([['quiz.missing-asset', 'missing.png']]);
    const file = validation.artifacts.find((a) => a.name.startsWith('files/'));
    expect(file).toMatchObject({ name: expect.stringMatching(/^files\/[0-9a-f]{12}\.png$/), contentType: 'image/png', size: png.length });
    expect(await uploads.get(file?.from.key ?? '')).toEqual(png);
    const quiz = JSON.parse(new TextDecoder().decode(await uploads.get(validation.artifacts[0]?.from.key ?? '')));
    expect(quiz.questions[0].stem).toBe(`<p>Which organelle? <img src="${file?.name}" alt="a cell" /></p>`);
    expect(quiz.questions[1].stem).toContain('src="missing.png"');
  });

  it('does not publish an image next to the quiz that is not one, or an SVG that scripts, and says why', async () => {
    await uploads.put('courses/bio-101/lessons/week-1/fake.png', 'not a picture at all');
    await uploads.put('courses/bio-101/lessons/week-1/evil.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const gift = '::Q1:: [html]<p><img src="fake.png" alt="f"> <img src="evil.svg" alt="e"></p> {=a ~b}\n';
    const validation = await validateQuizUpload(await upload('bad-images.gift', gift), { config, uploads });
    expect(validation.accepted).toBe(true);
    expect(validation.artifacts.map((a) => a.name)).toEqual(['quiz.json']);
    expect(validation.warnings.map((w) => [w.code, w.message.match(/'([^']+)'/)?.[1]])).toEqual([
      ['quiz.ignored-content', 'fake.png'],
      ['quiz.ignored-content', 'evil.svg'],
    ]);
    expect(validation.warnings[1]?.message).toContain('<script>');
  });

  it('counts questions as the quiz form does: an intro description is not a question (the card said 3, the form 2)', async () => {
    const gift = 'This check has 2 questions.\n\n::Q1:: 2+2? {=4 ~5}\n\n::Q2:: Is water wet? {T}\n';
    const validation = await validateQuizUpload(await upload('counted.gift', gift), { config, uploads });
    expect(validation.metadata).toMatchObject({ questionCount: 2 });
    const quiz = JSON.parse(new TextDecoder().decode(await uploads.get(validation.artifacts[0]?.from.key ?? '')));
    expect(quiz.questions).toHaveLength(3);
    expect(renderQuiz(quiz, 'p')).toContain('<p class="quiz-intro">2 questions,');
  });
});
