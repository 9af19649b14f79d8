/**
 * The hostile-input sweep: files that were never meant to be uploaded, or were made to hurt —
 * every file of the shared corpus (PDFs, quizzes, and the AWS samples treated as uploads too) and
 * generated ones (empty, random bytes under every extension, huge lines, deeply nested JSON/YAML/
 * XML, entity and alias bombs, zip bombs named .pdf, truncated PDFs, decompression bombs inside a
 * PDF, invalid UTF-8) — each through the local pipeline with a time limit, for a verdict:
 * published or rejected, never failed, never an unhandled error, never a hang.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { crc32 as zlibCrc32, createDeflate, createDeflateRaw } from 'node:zlib';
import type { LocalStack } from '../../local/local-stack.js';
import { buildPdf, simplePdf } from '../../tests/helpers/make-pdf.js';
import { makeTextPdf } from '../../tests/helpers/upload-fixtures.js';
import { giftQuiz } from './uploads.js';

export interface HostileFile {
  /** Where it came from and what it is. */
  name: string;
  fileName: string;
  bytes: Uint8Array;
  group: string;
}

const enc = new TextEncoder();
const text = (s: string) => enc.encode(s);

/** Every extension lectern knows, and some it does not. */
export const EXTENSIONS = ['pdf', 'gift', 'txt', 'aiken', 'xml', 'quiz.json', 'quiz.yaml', 'quiz.yml', 'vtt', 'srt', 'mp4', 'mov', 'm4v', 'mkv', 'webm', 'mp3', 'm4a', 'wav', 'json', 'exe', 'docx', 'zip'];

/** `size` zero bytes, deflated (raw or zlib-wrapped) without ever holding them in memory. */
async function deflatedZeros(size: number, raw: boolean): Promise<Uint8Array> {
  const deflate = raw ? createDeflateRaw({ level: 9 }) : createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += zeros.length) {
    if (!deflate.write(zeros.subarray(0, Math.min(zeros.length, size - written)))) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

function crcOfZeros(size: number): number {
  const zeros = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let done = 0; done < size; done += zeros.length) crc = zlibCrc32(zeros.subarray(0, Math.min(zeros.length, size - done)), crc);
  return crc;
}

/** A ZIP archive of one deflated member of `size` zero bytes: a zip bomb. */
async function zipOfZeros(name: string, size: number): Promise<Uint8Array> {
  const compressed = await deflatedZeros(size, true);
  const data = { length: size };
  const nameBytes = enc.encode(name);
  const crc = crcOfZeros(size);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = 30 + nameBytes.length + compressed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, compressed, central, nameBytes, end]));
}

/** Generated hostile files (deterministic shapes; random bytes differ per run). */
export async function generatedHostileFiles(): Promise<HostileFile[]> {
  const files: HostileFile[] = [];
  const add = (group: string, name: string, fileName: string, bytes: Uint8Array) => files.push({ group, name, fileName, bytes });
  for (const ext of EXTENSIONS) {
    add('empty', `0 bytes .${ext}`, `empty.${ext}`, new Uint8Array());
    add('random', `64 KiB of random bytes .${ext}`, `random.${ext}`, new Uint8Array(randomBytes(64 * 1024)));
  }
  add('random', 'random bytes after a %PDF- header', 'noise.pdf', new Uint8Array([...text('%PDF-1.7\n'), ...randomBytes(256 * 1024)]));
  add('random', 'random bytes after an ftyp box', 'noise.mp4', new Uint8Array([0, 0, 0, 0x18, ...text('ftypisom'), 0, 0, 2, 0, ...text('isomiso2'), ...randomBytes(64 * 1024)]));
  add('random', 'random bytes after a Matroska magic', 'noise.mkv', new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, ...randomBytes(64 * 1024)]));

  // huge lines: just under and over the quiz/caption size limits, in one line
  const line = (n: number, c = 'a') => c.repeat(n);
  add('huge-line', '1.9 MiB single-line GIFT question', 'one-line.gift', text(`::Q:: ${line(1.9 * 1024 * 1024)} {=yes ~no}`));
  add('huge-line', '3 MiB single-line GIFT (over the 2 MiB limit)', 'too-big.gift', text(`::Q:: ${line(3 * 1024 * 1024)} {=yes ~no}`));
  add('huge-line', '1.9 MiB YAML scalar', 'long.quiz.yaml', text(`title: ${line(1.9 * 1024 * 1024)}\nquestions: []\n`));
  add('huge-line', '1.9 MiB XML text node', 'long.xml', text(`<?xml version="1.0"?><quiz><question type="truefalse"><name><text>${line(1.9 * 1024 * 1024)}</text></name></question></quiz>`));
  add('huge-line', '4.9 MiB WebVTT cue line', 'long.vtt', text(`WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n${line(4.9 * 1024 * 1024)}\n`));
  add('huge-line', '200 000 one-character lines', 'many-lines.gift', text('\n'.repeat(200_000)));

  // deep nesting
  const depth = 100_000;
  add('nesting', `JSON nested ${depth} deep`, 'deep.quiz.json', text('['.repeat(depth) + ']'.repeat(depth)));
  add('nesting', `JSON object nested ${depth} deep`, 'deep-object.quiz.json', text('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));
  add('nesting', `YAML flow sequence nested ${depth} deep`, 'deep.quiz.yaml', text('['.repeat(depth) + ']'.repeat(depth)));
  add('nesting', 'YAML block mapping nested 5 000 deep', 'deep-block.quiz.yaml', text(Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n'));
  add('nesting', `XML nested ${depth} deep`, 'deep.xml', text('<?xml version="1.0"?>' + '<a>'.repeat(depth) + '</a>'.repeat(depth)));
  add('nesting', `Moodle XML question text nested ${depth / 10} deep in HTML`, 'deep-html.xml', text(`<?xml version="1.0"?><quiz><question type="truefalse"><questiontext format="html"><text><![CDATA[${'<div>'.repeat(depth / 10)}x${'</div>'.repeat(depth / 10)}]]></text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`));
  add('nesting', 'GIFT with 100 000 nested braces', 'braces.gift', text(`::Q:: x ${'{'.repeat(depth)}${'}'.repeat(depth)}`));

  // expansion bombs
  const laughs = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('\n');
  add('bomb', 'XML billion laughs (entity expansion)', 'laughs.xml', text(`<?xml version="1.0"?>\n<!DOCTYPE quiz [\n${laughs}\n]>\n<quiz><question type="truefalse"><name><text>&lol9;</text></name></question></quiz>`));
  add('bomb', 'XML external entity (XXE) to /etc/passwd', 'xxe.xml', text('<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<quiz><question type="truefalse"><name><text>&xxe;</text></name><questiontext format="html"><text>&xxe;</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>'));
  const aliases = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
  add('bomb', 'YAML billion laughs (alias expansion)', 'laughs.quiz.yaml', text(`${aliases}\ntitle: x\nquestions: []\n`));
  add('bomb', 'course.yaml billion laughs', 'course.yaml', text(`${aliases}\ntitle: x\n`));
  add('bomb', 'zip bomb (1 GiB of zeros) named .pdf', 'bomb.pdf', await zipOfZeros('zeros.bin', 1024 * 1024 * 1024));
  add('bomb', 'zip bomb named .gift', 'bomb.gift', await zipOfZeros('zeros.txt', 100 * 1024 * 1024));
  add('bomb', 'zip bomb named .mp4', 'bomb.mp4', await zipOfZeros('zeros.bin', 100 * 1024 * 1024));
  const zeros = await deflatedZeros(1024 * 1024 * 1024, false);
  add('bomb', 'PDF whose page content is a Flate bomb (1 GiB of zeros)', 'flate-bomb.pdf',
    buildPdf({
      1: '<< /Type /Catalog /Pages 2 0 R >>',
      2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
      4: { dict: `<< /Filter /FlateDecode >>`, stream: new Uint8Array(zeros) },
    }));
  add('bomb', 'PDF claiming 1 000 000 000 pages', 'huge-count.pdf',
    buildPdf({ 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: '<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>', 3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>' }));
  add('bomb', 'PDF whose page tree is a cycle', 'cycle.pdf',
    buildPdf({ 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: '<< /Type /Pages /Kids [3 0 R] /Count 2 >>', 3: '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>' }));
  add('bomb', 'PDF with an array nested 100 000 deep', 'deep-array.pdf',
    buildPdf({ 1: `<< /Type /Catalog /Pages 2 0 R /X ${'['.repeat(depth)}${']'.repeat(depth)} >>`, 2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', 3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>' }));

  // truncated PDFs
  const whole = await makeTextPdf({ pages: 20, title: 'Truncated' });
  for (const fraction of [0.05, 0.5, 0.9, 0.99]) add('truncated', `PDF cut at ${fraction * 100}%`, `cut-${fraction * 100}.pdf`, whole.slice(0, Math.floor(whole.length * fraction)));
  const objStm = simplePdf({ pages: 5, objectStream: true });
  add('truncated', 'object-stream PDF cut at 60%', 'cut-objstm.pdf', objStm.slice(0, Math.floor(objStm.length * 0.6)));

  // invalid UTF-8
  const bad = (prefix: string, suffix = '') => new Uint8Array([...text(prefix), 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xed, 0xa0, 0x80, 0xc0, 0xaf, ...text(suffix)]);
  add('utf8', 'GIFT with invalid UTF-8', 'bad-utf8.gift', bad('::Q:: caf', ' {=yes ~no}\n'));
  add('utf8', 'YAML with invalid UTF-8', 'bad-utf8.quiz.yaml', bad('title: caf', '\nquestions: []\n'));
  add('utf8', 'XML declared UTF-8 with invalid bytes', 'bad-utf8.xml', bad('<?xml version="1.0" encoding="UTF-8"?><quiz><question type="truefalse"><name><text>', '</text></name></question></quiz>'));
  add('utf8', 'WebVTT with invalid UTF-8', 'bad-utf8.vtt', bad('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n', '\n'));
  add('utf8', 'SRT with invalid UTF-8', 'bad-utf8.srt', bad('1\n00:00:00,000 --> 00:00:01,000\n', '\n'));
  add('utf8', 'course.yaml with invalid UTF-8', 'course.yaml', bad('title: caf', '\n'));
  add('utf8', 'UTF-16 GIFT with BOM', 'utf16.gift', new Uint8Array(Buffer.from(`\ufeff${giftQuiz(1)}`, 'utf16le')));
  add('utf8', 'NUL bytes in a GIFT file', 'nul.gift', text(`::Q:: a\u0000b {=yes ~no}\n`));
  return files;
}

/** Every file of the shared corpus, grouped by its top folder. */
export function corpusFiles(root: string): HostileFile[] {
  const files: HostileFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && statSync(full).size < 64 * 1024 * 1024) {
        const relative = path.relative(root, full);
        const top = relative.includes(path.sep) ? relative.split(path.sep)[0] : '(top level)';
        files.push({ group: `corpus/${top}`, name: relative, fileName: entry.name, bytes: new Uint8Array(readFileSync(full)) });
      }
    }
  };
  walk(root);
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

/** Where a hostile file is uploaded: course.yaml at a course's root, everything else in a lesson. */
export function keyFor(file: HostileFile, index: number): string {
  const course = `hostile-${index}`;
  return file.fileName === 'course.yaml' ? `courses/${course}/course.yaml` : `courses/${course}/lessons/${file.group.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}/${file.fileName}`;
}

export interface SweepVerdict {
  name: string;
  group: string;
  key: string;
  bytes: number;
  verdict: 'published' | 'rejected' | 'failed' | 'timeout' | 'threw';
  code?: string;
  detail?: string;
  ms: number;
  /** The process's RSS at its highest while this file ran (MiB). */
  peakRssMiB: number;
  /** How far that peak rose above the RSS when the file started (MiB; with concurrency 1, this file's doing). */
  rssGrowthMiB: number;
}

export interface SweepReport {
  verdicts: SweepVerdict[];
  /** Unhandled rejections and uncaught exceptions seen during the sweep. */
  unhandled: string[];
  peakRssMiB: number;
  wallMs: number;
}

/** Runs each file through `stack.upload`, `concurrency` at a time, each within `timeoutMs`. */
export async function sweep(stack: LocalStack, files: HostileFile[], options: { timeoutMs: number; concurrency: number; onVerdict?: (v: SweepVerdict) => void }): Promise<SweepReport> {
  const unhandled: string[] = [];
  const onRejection = (reason: unknown) => unhandled.push(`unhandledRejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`);
  const onException = (error: Error) => unhandled.push(`uncaughtException: ${error.name}: ${error.message}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  let peakRss = process.memoryUsage().rss;
  const running = new Map<number, number>(); // file index → highest RSS seen while it ran
  const startRss = new Map<number, number>();
  const sample = () => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    for (const [index, peak] of running) running.set(index, Math.max(peak, rss));
  };
  const sampler = setInterval(sample, 25);
  const started = performance.now();
  const verdicts: SweepVerdict[] = new Array(files.length);
  let next = 0;
  try {
    const worker = async () => {
      while (next < files.length) {
        const index = next++;
        const file = files[index]!;
        const key = keyFor(file, index);
        const t = performance.now();
        running.set(index, process.memoryUsage().rss);
        startRss.set(index, running.get(index)!);
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
        });
        let verdict: SweepVerdict;
        try {
          const outcome = await Promise.race([stack.upload(key, file.bytes), timeout]);
          verdict =
            outcome === 'timeout'
              ? { name: file.name, group: file.group, key, bytes: file.bytes.length, verdict: 'timeout', ms: performance.now() - t, peakRssMiB: 0, rssGrowthMiB: 0 }
              : { name: file.name, group: file.group, key, bytes: file.bytes.length, verdict: outcome.status, ...(outcome.reasons[0] ? { code: outcome.reasons[0].code, detail: outcome.reasons[0].message.slice(0, 300) } : {}), ms: performance.now() - t, peakRssMiB: 0, rssGrowthMiB: 0 };
        } catch (error) {
          verdict = { name: file.name, group: file.group, key, bytes: file.bytes.length, verdict: 'threw', detail: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error), ms: performance.now() - t, peakRssMiB: 0, rssGrowthMiB: 0 };
        } finally {
          clearTimeout(timer);
        }
        sample();
        verdict.peakRssMiB = (running.get(index) ?? 0) / 1024 ** 2;
        verdict.rssGrowthMiB = Math.max(0, (running.get(index) ?? 0) - (startRss.get(index) ?? 0)) / 1024 ** 2;
        running.delete(index);
        startRss.delete(index);
        verdicts[index] = verdict;
        options.onVerdict?.(verdict);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(sampler);
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  }
  return { verdicts, unhandled, peakRssMiB: peakRss / 1024 ** 2, wallMs: performance.now() - started };
}
