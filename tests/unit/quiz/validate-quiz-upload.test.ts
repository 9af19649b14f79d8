/** The ValidateQuiz use-case over the filesystem object store: the stage's unsupported-question policy. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../shared/adapters/fs-object-store.js';
import { parseConfig } from '../../../shared/runtime/config.js';
import type { ValidateInput } from '../../../shared/contract/pipeline.js';
import { validateQuizUpload } from '../../../shared/use-cases/validate-quiz-upload.js';
import { solidPng } from '../../helpers/make-image.js';
import { uploaded } from '../../helpers/uploaded.js';

const MIXED = [
  '<quiz>',
  '  <question type="truefalse"><questiontext><text>Cells exist.</text></questiontext>',
  '    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>',
  '  <question type="calculated"><questiontext><text>Area of {r}?</text></questiontext></question>',
  '</quiz>',
].join('\n');

describe('validateQuizUpload: LECTERN_QUIZ_UNSUPPORTED', () => {
  let root: string;
  let uploads: FsObjectStore;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lectern-quiz-'));
    uploads = new FsObjectStore(path.join(root, 'uploads'), { bucket: 'uploads' });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const upload = (fileName: string, text: string): Promise<ValidateInput> => uploaded(uploads, fileName, text);

  it('skip (the default): publishes the supported question, the unsupported one is a warning on its line', async () => {
    const validation = await validateQuizUpload(await upload('mixed.xml', MIXED), { config: parseConfig({}), uploads });
    expect(validation.accepted).toBe(true);
    expect(validation.metadata).toMatchObject({ questionCount: 1 });
    expect(validation.warnings.map((w) => [w.code, w.line])).toEqual([['quiz.unsupported-question-type', 4]]);
  });

  it('reject: the same file is rejected with that reason', async () => {
    const config = parseConfig({ LECTERN_QUIZ_UNSUPPORTED: 'reject' });
    const validation = await validateQuizUpload(await upload('strict.xml', MIXED), { config, uploads });
    expect(validation.accepted).toBe(false);
    expect(validation.reasons.map((r) => [r.code, r.line])).toEqual([['quiz.unsupported-question-type', 4]]);
  });

  it('stages the images a quiz embeds beside quiz.json, as artifacts PublishAsset copies', async () => {
    const png = solidPng(2, 2, [0, 128, 0]);
    const xml = [
      '<quiz><question type="description"><questiontext format="html">',
      '<text><![CDATA[<img src="@@PLUGINFILE@@/leaf.png" alt="leaf">]]></text>',
      `<file name="leaf.png" encoding="base64">${Buffer.from(png).toString('base64')}</file>`,
      '</questiontext></question></quiz>',
    ].join('\n');
    const validation = await validateQuizUpload(await upload('leaf.xml', xml), { config: parseConfig({}), uploads });
    const [quizJson, image] = validation.artifacts;
    expect(quizJson?.name).toBe('quiz.json');
    expect(image).toMatchObject({ name: expect.stringMatching(/^files\/[0-9a-f]{12}\.png$/), contentType: 'image/png', size: png.length });
    expect(Buffer.from((await uploads.get(image?.from.key ?? '')) ?? []).equals(Buffer.from(png))).toBe(true);
    const published = JSON.parse(new TextDecoder().decode(await uploads.get(quizJson?.from.key ?? ''))) as { questions: { stem: string }[] };
    expect(published.questions[0]?.stem).toBe(`<img src="${image?.name ?? ''}" alt="leaf" />`);
  });

  it('refuses a policy it does not know at start-up', () => {
    expect(() => parseConfig({ LECTERN_QUIZ_UNSUPPORTED: 'maybe' })).toThrow(/LECTERN_QUIZ_UNSUPPORTED/);
  });
});
