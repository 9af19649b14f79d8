/**
 * Images as lesson uploads, through the real state machine with the local twins: a PNG and a
 * plain SVG are published (the SVG sanitised), a scripted SVG and a PDF named .png are rejected
 * with a reason; a GIFT quiz that shows an image uploaded next to it publishes its own checked
 * copy beside quiz.json and links to it, so the image loads from the quiz's own folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { solidPng } from '../helpers/make-image.js';
import { publishedKey } from '../helpers/published.js';

const LESSON = 'courses/botany/lessons/leaves';
const dialect = DIALECTS[DIALECTS.length - 1]!;
const text = (s: string) => new TextEncoder().encode(s);

describe(`images uploaded to a lesson (${dialect.name})`, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await openTestStack(dialect);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('publishes a PNG as it is and a plain SVG sanitised', async () => {
    const png = solidPng(10, 6, [0, 150, 0]);
    const leaf = await stack.upload(`${LESSON}/leaf.png`, png);
    expect(leaf).toMatchObject({ status: 'published', kind: 'image', warnings: [] });
    expect(leaf.url).toMatch(/\/leaf\.png\/[0-9a-f]{16}\/leaf\.png$/);
    expect(await stack.published.get(publishedKey(leaf.url!))).toEqual(png);
    expect((await stack.published.head(publishedKey(leaf.url!)))?.contentType).toBe('image/png');

    const svg = await stack.upload(`${LESSON}/vein.svg`, text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><style>*{}</style><path d="M0 0L4 4" stroke="green"/></svg>'));
    expect(svg).toMatchObject({ status: 'published', kind: 'image' });
    const published = new TextDecoder().decode(await stack.published.get(publishedKey(svg.url!)));
    expect(published).toContain('<path d="M0 0L4 4" stroke="green"');
    expect(published).not.toContain('style');
  });

  it('rejects a scripted SVG and a PDF named .png, saying why', async () => {
    const scripted = await stack.upload(`${LESSON}/evil.svg`, text('<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(1)"><rect width="1" height="1"/></svg>'));
    expect(scripted).toMatchObject({ status: 'rejected', reasons: [{ code: 'image.svg-scripted' }] });
    expect(scripted.reasons[0]?.message).toContain('onload');
    const pdf = await stack.upload(`${LESSON}/scan.png`, text('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'));
    expect(pdf).toMatchObject({ status: 'rejected', reasons: [{ code: 'upload.content-mismatch' }] });
    expect(pdf.reasons[0]?.message).toContain('"scan.png" is named like an image file, but its content is a PDF document.');
  });

  it('a quiz that shows an image uploaded next to it publishes a copy beside quiz.json and links to it', async () => {
    const quiz = await stack.upload(`${LESSON}/check.gift`, text('::Leaf:: [html]<p>What colour is it? <img src="leaf.png" alt="a leaf"></p> {=green ~red}\n'));
    expect(quiz).toMatchObject({ status: 'published', kind: 'quiz', warnings: [] });
    const json = JSON.parse(new TextDecoder().decode(await stack.published.get(publishedKey(quiz.url!))));
    const src = /src="([^"]+)"/.exec(json.questions[0].stem)?.[1] ?? '';
    expect(src).toMatch(/^files\/[0-9a-f]{12}\.png$/);
    const imageUrl = new URL(src, quiz.url).href;
    expect(await stack.published.get(publishedKey(imageUrl))).toEqual(solidPng(10, 6, [0, 150, 0]));
  });
});
