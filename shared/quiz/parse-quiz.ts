/**
 * The quiz use-case: any uploaded bytes in, a verdict out — never an exception. The bytes are
 * capped before anything is parsed, decoded as strict UTF-8, recognised by name and content,
 * parsed by the format's parser, then normalised, sanitised and checked by `buildQuiz`.
 */
import type { Reason } from '../contract/errors.js';
import { buildQuiz } from './build-quiz.js';
import { decodeQuizText } from './decode-text.js';
import { detectQuizFormat, isQuizFileName, sniffContentFormat, sniffXmlRoot, type QuizFormat } from './detect-format.js';
import type { DraftQuiz } from './draft.js';
import { EmbeddedFiles, type QuizFile } from './embedded-files.js';
import { validateImage } from '../image/validate-image.js';
import type { Quiz } from './model.js';
import { parseAiken } from './parse-aiken.js';
import { parseGift } from './parse-gift.js';
import { parseMoodleXml, type UnsupportedPolicy } from './parse-moodle-xml.js';
import { parseNative } from './parse-native.js';
import { parseQti } from './parse-qti.js';
import { capQuizReasons, reason } from './reasons.js';

export interface QuizLimits {
  maxQuestions: number;
  maxBytes: number;
  maxErrors: number;
}

export const DEFAULT_QUIZ_LIMITS: QuizLimits = { maxQuestions: 500, maxBytes: 2 * 1024 * 1024, maxErrors: 50 };

export type QuizResult =
  | {
      ok: true;
      format: QuizFormat;
      quiz: Quiz;
      warnings: Reason[];
      /** Images published beside quiz.json (`files/<hash>.<ext>`): embedded ones and `images`. */
      files: QuizFile[];
      /** Relative image sources the quiz shows (look them up next to it and pass them as `images`). */
      images: string[];
    }
  | { ok: false; format?: QuizFormat; reasons: Reason[] };

export interface ParseQuizInput {
  bytes: Uint8Array;
  /** The upload's file name or key; only its last segment matters. */
  fileName: string;
  limits?: Partial<QuizLimits>;
  /** Published URL (or path) of the course's assets: images under it are kept. */
  assetBaseUrl?: string;
  /** Files uploaded next to the quiz (relative paths): images not among them are reported. */
  knownAssets?: readonly string[];
  /**
   * Images uploaded next to the quiz that it shows, by the name its text uses: each is checked
   * like an image upload (`validateImage`) and published beside quiz.json, content-addressed
   * (`files/<hash>.<ext>`), with the quiz's references rewritten to it.
   */
  images?: ReadonlyMap<string, Uint8Array>;
  /** The largest image of `images` published with the quiz (default: `DEFAULT_MAX_IMAGE_BYTES`). */
  maxImageBytes?: number;
  /**
   * A question of a type lectern cannot represent: 'skip' (default) publishes the rest with a
   * `quiz.unsupported-question-type` warning on its line; 'reject' rejects the file.
   */
  unsupportedQuestions?: UnsupportedPolicy;
}

export function parseQuiz(input: ParseQuizInput): QuizResult {
  const limits = resolveLimits(input.limits);
  let format: QuizFormat | undefined;
  try {
    const fileName = typeof input.fileName === 'string' ? input.fileName : '';
    format = detectQuizFormat(fileName, '');
    const early = checkUpload(input.bytes, fileName, limits);
    if (early) return reject(format, [early], limits);
    const decoded = decodeQuizText(input.bytes);
    if (!decoded.ok) return reject(format, decoded.reasons, limits);
    const text = decoded.text;
    if (text.trim() === '') return reject(format, [reason('quiz.empty-file', 'The file holds only blank space: it contains no quiz.', { line: 1, column: 1 })], limits);
    format = detectQuizFormat(fileName, text);
    const mismatch = wrongExtension(format, text, fileName);
    if (mismatch) return reject(format, [mismatch], limits);
    if (format === undefined) return reject(undefined, [unknownFormat(fileName, text)], limits);

    const draft = parseFormat(format, text, limits, input.unsupportedQuestions === 'reject' ? 'reject' : 'skip');
    const uploaded = uploadedImages(input.images, input.maxImageBytes);
    const files = [...(draft.files ?? []), ...uploaded.files.filter((f) => !(draft.files ?? []).some((d) => d.name === f.name))];
    draft.warnings.push(...uploaded.warnings);
    const built = buildQuiz(draft, {
      format,
      source: text,
      ...(uploaded.sources.size > 0 ? { imageSources: uploaded.sources } : {}),
      ...(input.assetBaseUrl === undefined ? {} : { assetBaseUrl: input.assetBaseUrl }),
      ...(input.knownAssets === undefined ? {} : { knownAssets: [...input.knownAssets, ...(draft.files ?? []).map((f) => f.name)] }),
    });
    const errors = built.errors;
    if (built.quiz.questions.length > limits.maxQuestions) {
      errors.push(reason('quiz.too-many-questions', `The file has ${built.quiz.questions.length} questions; the limit is ${limits.maxQuestions}. Split it into several quiz files.`));
    }
    const skipped = built.warnings.filter((w) => w.code === 'quiz.unsupported-question-type');
    if (built.quiz.questions.length === 0 && skipped.length > 0) {
      // Nothing lectern can represent is left: there is no quiz to publish.
      errors.push(...skipped);
    }
    if (errors.length > 0) return reject(format, errors, limits);
    const warnings = [...built.warnings];
    if (built.quiz.questions.length === 0) {
      warnings.push(reason('quiz.no-questions', 'The file defines no questions (only categories or comments): the published quiz is empty.'));
    }
    return { ok: true, format, quiz: built.quiz, warnings: capQuizReasons(warnings, limits.maxErrors), files, images: built.images };
  } catch (error) {
    const deep = error instanceof RangeError;
    return reject(format, [
      deep
        ? reason('quiz.too-deep', 'The file is nested too deeply to process (it exhausted the parser): flatten its structure.')
        : reason('quiz.internal', `The quiz could not be processed because of an internal error (${error instanceof Error ? error.name : 'unknown'}); please report it.`),
    ], limits);
  }
}

/** Images uploaded next to the quiz: checked, and published with it under content-addressed names. */
function uploadedImages(images: ReadonlyMap<string, Uint8Array> | undefined, maxBytes: number | undefined): { sources: Map<string, string>; files: QuizFile[]; warnings: Reason[] } {
  const sources = new Map<string, string>();
  const warnings: Reason[] = [];
  const published = new EmbeddedFiles();
  for (const [name, bytes] of images ?? []) {
    const verdict = validateImage({ bytes, fileName: name, ...(maxBytes === undefined ? {} : { maxBytes }) });
    if (verdict.ok) sources.set(name, published.publish(name, verdict.bytes, verdict.type));
    else warnings.push(reason('quiz.ignored-content', `The image '${name}' uploaded next to the quiz is not published with it, so it shows as a broken image: ${verdict.reasons[0]?.message ?? ''}`));
  }
  return { sources, files: published.list(), warnings };
}

function parseFormat(format: QuizFormat, text: string, limits: QuizLimits, unsupported: UnsupportedPolicy): DraftQuiz {
  switch (format) {
    case 'gift':
      return parseGift(text, limits);
    case 'aiken':
      return parseAiken(text, limits);
    case 'moodle-xml':
      return parseMoodleXml(text, { maxQuestions: limits.maxQuestions, unsupported });
    case 'qti21':
      return parseQti(text);
    case 'native-json':
      return parseNative(text, { json: true, maxQuestions: limits.maxQuestions });
    case 'native-yaml':
      return parseNative(text, { json: false, maxQuestions: limits.maxQuestions });
  }
}

function checkUpload(bytes: Uint8Array, fileName: string, limits: QuizLimits): Reason | undefined {
  if (!isQuizFileName(fileName)) {
    return reason(
      'quiz.unknown-format',
      `'${fileName.split('/').pop() ?? fileName}' is not a quiz file name: use .gift, .aiken, .txt (GIFT or Aiken), .xml (Moodle XML or QTI 2.1), .quiz.json or .quiz.yaml.`,
    );
  }
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    return reason('quiz.empty-file', 'The file is empty (0 bytes): upload the quiz again.', { line: 1, column: 1 });
  }
  if (bytes.length > limits.maxBytes) {
    return reason(
      'quiz.too-large',
      `The file is ${bytes.length} bytes; quiz files may be at most ${limits.maxBytes} bytes. Split it into several quizzes, or move embedded images into separate files.`,
    );
  }
  return undefined;
}

function unknownFormat(fileName: string, text: string): Reason {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xml')) {
    const root = sniffXmlRoot(text);
    return reason(
      'quiz.unknown-format',
      root
        ? `The XML root element is <${root.name}>${root.namespace ? ` in namespace '${root.namespace}'` : ''}: lectern reads Moodle XML (<quiz>) and QTI 2.1 items (<assessmentItem>).`
        : 'The .xml file does not start with an XML element: if it is GIFT or Aiken, name it .gift or .aiken.',
      { line: 1, column: 1 },
    );
  }
  return reason(
    'quiz.unknown-format',
    'The text file is neither GIFT (answers in {…} after each question) nor Aiken (options A) B) … then an ANSWER: line): check its content, or give it a .gift or .aiken name.',
    { line: 1, column: 1 },
  );
}

/** XML quiz content under a name that says otherwise (.gift, .aiken, .txt, native). */
function wrongExtension(format: QuizFormat | undefined, text: string, fileName: string): Reason | undefined {
  const byContent = sniffContentFormat(text);
  if (byContent === undefined || format === 'moodle-xml' || format === 'qti21') return undefined;
  const name = fileName.split('/').pop() ?? fileName;
  const what = byContent === 'moodle-xml' ? 'Moodle XML' : 'QTI XML';
  const expected = format === undefined ? 'a text quiz' : FORMAT_NAMES[format];
  return reason('quiz.wrong-extension', `'${name}' contains ${what}, not ${expected}: rename it to end in .xml.`, { line: 1, column: 1 });
}

const FORMAT_NAMES: Record<QuizFormat, string> = {
  gift: 'GIFT',
  aiken: 'Aiken',
  'moodle-xml': 'Moodle XML',
  qti21: 'QTI 2.1',
  'native-json': 'a JSON quiz',
  'native-yaml': 'a YAML quiz',
};

function reject(format: QuizFormat | undefined, reasons: Reason[], limits: QuizLimits): QuizResult {
  const capped = capQuizReasons(reasons, limits.maxErrors);
  return format === undefined ? { ok: false, reasons: capped } : { ok: false, format, reasons: capped };
}

function resolveLimits(partial: Partial<QuizLimits> | undefined): QuizLimits {
  const pick = (key: keyof QuizLimits): number => {
    const value = partial?.[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_QUIZ_LIMITS[key];
  };
  return { maxQuestions: pick('maxQuestions'), maxBytes: pick('maxBytes'), maxErrors: pick('maxErrors') };
}
