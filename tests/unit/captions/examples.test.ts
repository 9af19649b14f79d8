/** The example course's caption files publish; the SRT one only lacks a language in its name. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCaptions } from '../../../shared/captions/validate-captions.js';
import { accepted } from './helpers.js';

const LESSONS = fileURLToPath(new URL('../../../examples/courses/intro-to-biology/lessons/', import.meta.url));

describe('example captions', () => {
  it('cells/cell-division.en.vtt: three cues over four seconds, in English', () => {
    const result = accepted(validateCaptions({ bytes: readFileSync(`${LESSONS}cells/cell-division.en.vtt`), fileName: 'cell-division.en.vtt' }));
    expect(result).toMatchObject({ format: 'webvtt', cues: 3, durationMs: 4000, language: 'en', warnings: [] });
  });

  it('genetics/dna-basics.srt converts to WebVTT', () => {
    const result = accepted(validateCaptions({ bytes: readFileSync(`${LESSONS}genetics/dna-basics.srt`), fileName: 'dna-basics.srt' }));
    expect(result).toMatchObject({ format: 'srt', cues: 3, durationMs: 7000 });
    expect(result.warnings.map((w) => w.code)).toEqual(['captions.no-language']);
    expect(result.webvtt).toContain('00:00:02.000 --> 00:00:04.500\nThe strands twist into\na <i>double helix</i>.');
  });
});
