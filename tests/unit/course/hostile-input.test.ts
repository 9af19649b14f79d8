/**
 * Hostile and degenerate course.yaml files: each gets a specific verdict quickly — never an
 * exception, never a hang, never an out-of-memory crash (a single 200 KB line of "- " takes the
 * YAML parser down on its own; the nesting guard stops it first).
 */
import { describe, expect, it } from 'vitest';
import { parseCourse } from '../../../shared/course/parse-course.js';
import { timed } from '../../helpers/timed.js';
import { bytes, parseText, rejected, where } from './helpers.js';

const MiB = 1024 * 1024;

describe('hostile course.yaml files', () => {
  it('zero bytes → course.empty', () => {
    expect(where(rejected(parseCourse({ bytes: new Uint8Array(), fileName: 'course.yaml' })))).toEqual(['course.empty@-:-']);
  });

  it('a lone BOM → course.empty', () => {
    expect(where(rejected(parseCourse({ bytes: new Uint8Array([0xef, 0xbb, 0xbf]), fileName: 'course.yaml' })))).toEqual(['course.empty@-:-']);
  });

  it('binary garbage → course.invalid-utf8', () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0xff, 0xd8, 0x00]);
    expect(where(rejected(parseCourse({ bytes: gif, fileName: 'course.yaml' })))).toEqual(['course.invalid-utf8@1:7']);
  });

  it('NUL bytes → course.binary-content', () => {
    expect(where(rejected(parseCourse({ bytes: new Uint8Array(100), fileName: 'course.yaml' })))).toEqual(['course.binary-content@1:1']);
  });

  it('a megabyte-long line → course.too-large under the default limit', () => {
    expect(where(rejected(timed(() => parseText(`title: ${'x'.repeat(MiB)}\n`), 6_000)))).toEqual(['course.too-large@-:-']);
  });

  it('a megabyte-long title under a raised limit → course.too-long', () => {
    expect(where(rejected(timed(() => parseText(`title: ${'x'.repeat(MiB)}\n`, { maxBytes: 2 * MiB }), 6_000)))).toEqual(['course.too-long@1:8']);
  });

  it.each([
    ['"- " × 100,000 (compact nested sequences)', '- '.repeat(100_000) + 'x', 'course.too-deep@1:129'],
    ['200,000 spaces of indentation', `title: T\n${' '.repeat(200_000)}x: 1\n`, 'course.too-deep@2:129'],
    ['"[" × 100,000', `title: ${'['.repeat(100_000)}`, 'course.too-deep@1:40'],
    ['"{a: " × 50,000', `title: ${'{a: '.repeat(50_000)}`, 'course.too-deep@1:136'],
    ['a mapping 200 levels deep by indentation', Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'), 'course.too-deep@130:129'],
    ['flow nesting across lines', `lessons:\n${Array.from({ length: 40 }, () => '  [').join('\n')}`, 'course.too-deep@34:3'],
  ])('%s → course.too-deep', (_name, text, expected) => {
    expect(where(rejected(timed(() => parseText(text, { maxBytes: 2 * MiB }), 6_000)))).toEqual([expected]);
  });

  it('many aliases to one anchor → course.too-many-aliases', () => {
    const text = `title: T\nx: &a [1, 2, 3]\ntags: [${Array.from({ length: 500 }, () => '*a').join(', ')}]\n`;
    expect(where(rejected(timed(() => parseText(text), 6_000)))).toEqual(['course.too-many-aliases@3:8']);
  });

  it('aliases expanding past the size limit → course.too-many-aliases, though yaml\'s alias count allows them', () => {
    const description = 'D'.repeat(20_000);
    const lessons = Array.from({ length: 20 }, (_, i) => `  - {slug: l${i}, description: *d}`).join('\n');
    const text = `title: T\ndescription: &d "${description}"\nlessons:\n${lessons}\n`;
    const reasons = rejected(timed(() => parseText(text), 6_000));
    expect(where(reasons)).toEqual(['course.too-many-aliases@16:30']);
    expect(reasons[0]!.message).toMatch(/grows past 262,144 bytes once its YAML aliases.*Write the repeated values out once/);
  });

  it('100,000 lessons → course.too-large; 5,000 under a raised size limit → course.too-many', () => {
    const lessons = (n: number) => Array.from({ length: n }, (_, i) => `  - {slug: l${i}, title: L}`).join('\n');
    expect(where(rejected(timed(() => parseText(`title: T\nlessons:\n${lessons(100_000)}\n`), 6_000)))).toEqual(['course.too-large@-:-']);
    expect(where(rejected(timed(() => parseText(`title: T\nlessons:\n${lessons(5000)}\n`, { maxBytes: MiB }), 15_000)))).toEqual(['course.too-many@3:3']);
  });

  it('does not let __proto__ or constructor keys reach anything', () => {
    const reasons = rejected(parseText('title: T\n__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}\n'));
    expect(where(reasons)).toEqual(['course.unknown-field@2:1', 'course.unknown-field@3:1']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects YAML-specific values where text is expected', () => {
    expect(where(rejected(parseText('title: !!binary aGVsbG8=\n')))).toEqual(['course.wrong-type@1:17']);
    const custom = parseText('title: !custom x\n');
    expect(custom.ok && custom.course.title).toBe('x');
    expect(custom.ok && where(custom.warnings)).toEqual(['course.yaml-warning@1:8']);
    // A collection as a key: an unknown field (reported at the mapping, as its name is not text).
    expect(where(rejected(parseText('? [a, b]\n: c\ntitle: T\n')))).toEqual(['course.unknown-field@1:1']);
  });

  it('caps YAML syntax errors from garbage', () => {
    const garbage = Array.from({ length: 2000 }, (_, i) => (i % 2 ? '  - : ] } "' : 'x: [')).join('\n');
    const reasons = rejected(timed(() => parseText(garbage), 9_000));
    expect(reasons.length).toBeLessThanOrEqual(51);
  });

  it('control characters → course.binary-content at their position', () => {
    expect(where(rejected(parseCourse({ bytes: bytes('title: T\ndescription: a\u001bb\n'), fileName: 'course.yaml' })))).toEqual(['course.binary-content@2:15']);
  });
});
