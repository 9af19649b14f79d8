import { describe, expect, it } from 'vitest';
import { contentMismatch, sniff } from '../../shared/contract/sniff.js';

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('sniff', () => {
  it.each([
    [bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'), 'pdf'],
    [bytes('\n\n%PDF-1.4'), 'pdf'],
    [bytes('%\xe2\xe3\xcf\xd3\n1 0 obj \n<<\n/Pages 2 0 R'), 'pdf'],
    [bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]), 'mp4'],
    [bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]), 'matroska'],
    [bytes('ID3', [4, 0, 0]), 'mp3'],
    [bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'wav'],
    [bytes('::Q1:: What is 2+2? {=4 ~3}\n'), 'text'],
    [bytes([0xef, 0xbb, 0xbf], 'WEBVTT\n\n'), 'text'],
    [bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0, 0, 0, 0x0d]), 'png'],
    [new Uint8Array(), 'empty'],
  ])('%#: %j → %s', (head, expected) => {
    expect(sniff(head)).toBe(expected);
  });
});

describe('contentMismatch', () => {
  it('accepts content that matches the kind', () => {
    expect(contentMismatch('pdf', bytes('%PDF-1.4'))).toBeUndefined();
    expect(contentMismatch('quiz', bytes('Q? {T}'))).toBeUndefined();
  });

  it('says what a mislabelled file really is', () => {
    expect(contentMismatch('pdf', bytes('::Q1:: text {=a}'))).toBe('its content is text');
    expect(contentMismatch('pdf', bytes([0x89], 'PNG', [0, 0, 0]))).toMatch(/binary data/);
    expect(contentMismatch('quiz', bytes('%PDF-1.4\n'))).toBe('its content is a PDF document');
    expect(contentMismatch('video', bytes('%PDF-1.4'))).toMatch(/PDF/);
  });
});
