import { describe, expect, it } from 'vitest';
import { InvalidKeyError, UnsupportedUploadError } from '../../shared/contract/errors.js';
import { decodeS3EventKey, parseUploadKey } from '../../shared/contract/upload-key.js';

describe('decodeS3EventKey', () => {
  it('decodes form-URL-encoded keys: + is a space, then percent-decoding', () => {
    expect(decodeS3EventKey('courses/bio/lessons/cells/Lecture+1+notes.pdf')).toBe('courses/bio/lessons/cells/Lecture 1 notes.pdf');
    expect(decodeS3EventKey('courses/bio/lessons/cells/C%2B%2B+basics.pdf')).toBe('courses/bio/lessons/cells/C++ basics.pdf');
    expect(decodeS3EventKey('courses/bio/lessons/cells/a%40b.pdf')).toBe('courses/bio/lessons/cells/a@b.pdf');
    expect(decodeS3EventKey('courses/bio/lessons/cells/%C3%BCber.pdf')).toBe('courses/bio/lessons/cells/über.pdf');
  });

  it('decodes exactly once: an encoded percent stays a percent', () => {
    expect(decodeS3EventKey('courses/bio/lessons/cells/100%25+done.pdf')).toBe('courses/bio/lessons/cells/100% done.pdf');
    expect(decodeS3EventKey(encodeURIComponent('50%2B.pdf'))).toBe('50%2B.pdf');
  });

  it('rejects malformed encoding with a key error', () => {
    expect(() => decodeS3EventKey('courses/bio/lessons/cells/bad%E0%A4%A.pdf')).toThrow(InvalidKeyError);
  });
});

describe('parseUploadKey', () => {
  it('parses a lesson asset, kind from the extension', () => {
    expect(parseUploadKey('courses/intro-to-biology/lessons/cells/Cell Structure.pdf')).toEqual({
      kind: 'pdf',
      key: 'courses/intro-to-biology/lessons/cells/Cell Structure.pdf',
      course: 'intro-to-biology',
      lesson: 'cells',
      fileName: 'Cell Structure.pdf',
      stem: 'Cell Structure',
      extension: '.pdf',
    });
  });

  it.each([
    ['check.quiz.yaml', 'quiz', 'check'],
    ['check.quiz.json', 'quiz', 'check'],
    ['week1.gift', 'quiz', 'week1'],
    ['questions.gift.txt', 'quiz', 'questions'],
    ['exam.aiken', 'quiz', 'exam'],
    ['item.xml', 'quiz', 'item'],
    ['lecture.MP4', 'video', 'lecture'],
    ['lecture.vtt', 'captions', 'lecture'],
    ['podcast.mp3', 'audio', 'podcast'],
    ['cell.png', 'image', 'cell'],
    ['Photo.JPG', 'image', 'Photo'],
    ['photo.jpeg', 'image', 'photo'],
    ['spin.gif', 'image', 'spin'],
    ['leaf.webp', 'image', 'leaf'],
    ['diagram.svg', 'image', 'diagram'],
  ])('%s is a %s upload named %s', (fileName, kind, stem) => {
    expect(parseUploadKey(`courses/c/lessons/l/${fileName}`)).toMatchObject({ kind, stem });
  });

  it('parses course.yaml at the course root', () => {
    expect(parseUploadKey('courses/intro/course.yaml')).toEqual({ kind: 'course', key: 'courses/intro/course.yaml', course: 'intro', fileName: 'course.yaml' });
  });

  it.each([
    ['uploads/x.pdf', 'key.layout'],
    ['courses/Intro To Bio/lessons/cells/a.pdf', 'key.invalid-course-slug'],
    ['courses/bio/lessons/Cells_1/a.pdf', 'key.invalid-lesson-slug'],
    ['courses/bio/lessons/-cells/a.pdf', 'key.invalid-lesson-slug'],
    ['courses/bio/notes.pdf', 'key.layout'],
    ['courses/bio/lessons/cells/extra/a.pdf', 'key.layout'],
    ['courses/bio/lessons/cells/.DS_Store', 'key.invalid-file-name'],
    ['courses/bio/lessons/cells/_hidden.pdf', 'key.invalid-file-name'],
  ])('%s is rejected with %s', (key, code) => {
    try {
      parseUploadKey(key);
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidKeyError);
      expect((error as InvalidKeyError).code).toBe(code);
    }
  });

  it('suggests the slug to use', () => {
    expect(() => parseUploadKey('courses/Intro To Bio/lessons/cells/a.pdf')).toThrow(/Rename it to "intro-to-bio"/);
  });

  it('rejects unknown extensions, listing the accepted ones', () => {
    expect(() => parseUploadKey('courses/bio/lessons/cells/slides.pptx')).toThrow(UnsupportedUploadError);
    expect(() => parseUploadKey('courses/bio/lessons/cells/slides.pptx')).toThrow(/\.pdf/);
    expect(() => parseUploadKey('courses/bio/lessons/cells/.pdf')).toThrow();
  });
});
