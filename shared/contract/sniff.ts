/**
 * What the first bytes of an object say it is. Pure: the classifier reads the head of the object
 * (a ranged GET) and asks this module whether it matches the extension's kind.
 */
import type { UploadKind } from './upload-key.js';

/** How many leading bytes the classifier reads. */
export const SNIFF_BYTES = 4096;

export type Sniffed =
  | 'pdf'
  | 'mp4' // ISO base media: mp4, mov, m4v, m4a
  | 'matroska' // mkv, webm
  | 'mp3'
  | 'wav'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'text'
  | 'binary'
  | 'empty';

export function sniff(head: Uint8Array): Sniffed {
  if (head.length === 0) return 'empty';
  if (indexOf(head, PDF_MAGIC, 1024) >= 0 || HEADERLESS_PDF.test(ascii(head, 0, Math.min(head.length, 1024)))) return 'pdf';
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') return 'mp4';
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'matroska';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE') return 'wav';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 0, 3) === 'ID3' || (head.length > 1 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  return looksLikeText(head) ? 'text' : 'binary';
}

const ACCEPTED: Record<UploadKind, readonly Sniffed[]> = {
  pdf: ['pdf'],
  video: ['mp4', 'matroska'],
  audio: ['mp4', 'mp3', 'wav'],
  quiz: ['text'],
  captions: ['text'],
  // SVG is text; ValidateImage tells an SVG from other text, and every image from its name.
  image: ['png', 'jpeg', 'gif', 'webp', 'text'],
  course: ['text'],
};

const DESCRIPTION: Record<Sniffed, string> = {
  pdf: 'a PDF document',
  mp4: 'an MP4/QuickTime media file',
  matroska: 'a Matroska/WebM media file',
  mp3: 'an MP3 audio file',
  wav: 'a WAV audio file',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  text: 'text',
  binary: 'binary data of an unknown type',
  empty: 'empty (0 bytes)',
};

/** `undefined` when the content fits the kind; otherwise a sentence saying what it is instead. */
export function contentMismatch(kind: UploadKind, head: Uint8Array): string | undefined {
  const sniffed = sniff(head);
  if (ACCEPTED[kind].includes(sniffed)) return undefined;
  return `its content is ${DESCRIPTION[sniffed]}`;
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
/** A PDF whose header line was lost but whose body starts with objects: viewers open these. */
const HEADERLESS_PDF = /^(?:%[^\n]*\n)?\s*\d+\s+\d+\s+obj\b/;

function looksLikeText(head: Uint8Array): boolean {
  // Text (any UTF-8/Latin text, with or without BOM): no NUL bytes and few control characters.
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  }
  return control <= head.length / 100;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((value, index) => bytes[index] === value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function indexOf(bytes: Uint8Array, needle: number[], within: number): number {
  const last = Math.min(bytes.length, within) - needle.length;
  for (let i = 0; i <= last; i++) {
    if (needle.every((value, offset) => bytes[i + offset] === value)) return i;
  }
  return -1;
}
