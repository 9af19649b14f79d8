import { describe, expect, it } from 'vitest';
import { detectQuizFormat, isQuizFileName } from '../../../shared/quiz/detect-format.js';

const GIFT = '::Q:: Is this GIFT? {T}';
const AIKEN = 'Is this Aiken?\nA) Yes\nB) No\nANSWER: A';
const MOODLE = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- exported -->\n<quiz>\n<question type="essay"/>\n</quiz>';
const QTI = '<?xml version="1.0"?>\n<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="x"/>';

describe('isQuizFileName', () => {
  it.each([
    ['quiz.gift', true],
    ['quiz.aiken', true],
    ['quiz.txt', true],
    ['quiz.gift.txt', true],
    ['item.xml', true],
    ['cells.quiz.json', true],
    ['cells.quiz.yaml', true],
    ['cells.quiz.yml', true],
    ['courses/bio/lessons/cells/CELLS.GIFT', true],
    ['course.yaml', false],
    ['data.json', false],
    ['lecture.mp4', false],
    ['package.zip', false],
  ])('%s → %s', (name, expected) => {
    expect(isQuizFileName(name)).toBe(expected);
  });
});

describe('detectQuizFormat', () => {
  it('trusts unambiguous extensions', () => {
    expect(detectQuizFormat('a.gift', GIFT)).toBe('gift');
    expect(detectQuizFormat('a.aiken', AIKEN)).toBe('aiken');
    expect(detectQuizFormat('a.quiz.json', '{}')).toBe('native-json');
    expect(detectQuizFormat('a.quiz.yml', 'questions: []')).toBe('native-yaml');
  });

  it('tells GIFT from Aiken in .txt and .gift.txt files by content', () => {
    expect(detectQuizFormat('a.txt', GIFT)).toBe('gift');
    expect(detectQuizFormat('a.txt', AIKEN)).toBe('aiken');
    expect(detectQuizFormat('a.gift.txt', AIKEN)).toBe('aiken');
    expect(detectQuizFormat('a.txt', '// comment only\n$CATEGORY: x')).toBe('gift');
    expect(detectQuizFormat('notes.txt', 'Just some notes about the lesson.')).toBeUndefined();
  });

  it('tells Moodle XML from QTI by the root element, not the extension', () => {
    expect(detectQuizFormat('a.xml', MOODLE)).toBe('moodle-xml');
    expect(detectQuizFormat('a.xml', QTI)).toBe('qti21');
    expect(detectQuizFormat('a.xml', '<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"/>')).toBe('qti21');
    expect(detectQuizFormat('a.xml', '<responseProcessing/>')).toBe('qti21');
    expect(detectQuizFormat('a.xml', '<qti:assessmentItem xmlns:qti="http://www.imsglobal.org/xsd/imsqti_v2p1"/>')).toBe('qti21');
    expect(detectQuizFormat('a.xml', '<html><body/></html>')).toBeUndefined();
    expect(detectQuizFormat('a.xml', GIFT)).toBeUndefined();
  });

  it('knows nothing of other files', () => {
    expect(detectQuizFormat('a.pdf', '%PDF-1.7')).toBeUndefined();
  });
});
