import { describe, expect, it } from 'vitest';
import { captionTarget } from '../../../shared/captions/caption-target.js';

describe('captionTarget', () => {
  it.each([
    ['lecture.en.vtt', { videoStem: 'lecture', language: 'en' }],
    ['lecture.EN.srt', { videoStem: 'lecture', language: 'en' }],
    ['lecture.pt-BR.vtt', { videoStem: 'lecture', language: 'pt-BR' }],
    ['lecture.pt_br.vtt', { videoStem: 'lecture', language: 'pt-BR' }],
    ['lecture.zh-Hant.vtt', { videoStem: 'lecture', language: 'zh-Hant' }],
    ['lecture.es-419.vtt', { videoStem: 'lecture', language: 'es-419' }],
    ['lecture.eng.vtt', { videoStem: 'lecture', language: 'en' }],
    ['lecture.vtt', { videoStem: 'lecture' }],
    ['cell division.vtt', { videoStem: 'cell division' }],
    ['part.2.vtt', { videoStem: 'part.2' }],
    ['lecture.v2.vtt', { videoStem: 'lecture.v2' }],
    ['lecture.final.vtt', { videoStem: 'lecture.final' }],
    ['week1.intro.de.VTT', { videoStem: 'week1.intro', language: 'de' }],
    ['courses/bio/lessons/cells/lecture.fr.vtt', { videoStem: 'lecture', language: 'fr' }],
    ['.en.vtt', { videoStem: '.en' }],
  ])('%s → %j', (fileName, expected) => {
    expect(captionTarget(fileName)).toEqual(expected);
  });

  it('reports a language-shaped part that is not a language instead of making it part of the video name', () => {
    expect(captionTarget('lecture.xx.vtt')).toEqual({ videoStem: 'lecture', unknownLanguage: { value: 'xx', problem: '"xx" is not a known language code' } });
    expect(captionTarget('lecture.en-XX.vtt').unknownLanguage?.problem).toBe('"XX" is not a known region code');
  });
});
