/**
 * ValidateQuiz: parse any supported quiz format into the canonical model (HTML sanitised) and
 * stage the canonical `quiz.json` for PublishAsset. Content problems are a verdict, not an error.
 */
import { sha256Hex } from '../contract/asset-version.js';
import type { Deps } from '../runtime/deps.js';

/** What validate quiz upload needs (its Lambda builds just this). */
export type ValidateQuizUploadDeps = Pick<Deps, 'config' | 'uploads'>;
import type { Validation, ValidateInput } from '../contract/pipeline.js';
import { countQuestions } from '../quiz/count-questions.js';
import { parseQuiz } from '../quiz/parse-quiz.js';
import { readSource, workKey } from './read-source.js';
import { IMAGE_EXTENSIONS } from '../image/validate-image.js';

/** More images than any quiz shows; bounds the reads of one validation. */
const MAX_QUIZ_IMAGES = 200;

function isImageName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS[name.slice(dot).toLowerCase()] !== undefined;
}

export async function validateQuizUpload(input: ValidateInput, deps: ValidateQuizUploadDeps): Promise<Validation> {
  const { upload } = input;
  const { bytes, sha256 } = await readSource(deps, upload);
  const parse = (knownAssets: readonly string[], images?: ReadonlyMap<string, Uint8Array>) =>
    parseQuiz({
      bytes,
      fileName: upload.fileName,
      knownAssets,
      ...(images ? { images, maxImageBytes: deps.config.limits.maxBytes.image } : {}),
      unsupportedQuestions: deps.config.quizUnsupported,
      limits: { maxQuestions: deps.config.limits.maxQuestions, maxBytes: deps.config.limits.maxBytes.quiz },
    });
  // Images a quiz shows must be files uploaded to the same lesson. Most quizzes show none: the
  // lesson folder is listed only for one that does (a lesson of a thousand quizzes would otherwise
  // be listed a thousand times), and that quiz is parsed again with the images it shows, which are
  // checked and published beside quiz.json (so they load even before the image's own upload is).
  let result = parse([]);
  if (result.ok && result.images.length > 0) {
    const lessonPrefix = upload.source.key.slice(0, upload.source.key.length - upload.fileName.length);
    const listing = (await deps.uploads.list(lessonPrefix)).map((key) => key.slice(lessonPrefix.length)).filter((name) => !name.includes('/'));
    const present = new Set(listing);
    const images = new Map<string, Uint8Array>();
    for (const name of result.images.filter((n) => present.has(n) && isImageName(n)).slice(0, MAX_QUIZ_IMAGES)) {
      // One byte past the limit is enough to tell that an image is too large.
      const image = await deps.uploads.getRange(lessonPrefix + name, 0, deps.config.limits.maxBytes.image);
      if (image) images.set(name, image);
    }
    result = parse(listing, images);
  }
  if (!result.ok) {
    return { accepted: false, ...(result.format ? { format: result.format } : {}), reasons: result.reasons, warnings: [], metadata: {}, contentSha256: sha256, artifacts: [] };
  }
  const canonical = `${JSON.stringify(result.quiz, null, 2)}\n`;
  const key = workKey(upload.assetVersionId, 'quiz.json');
  await deps.uploads.put(key, canonical, { contentType: 'application/json' });
  // Images the quiz embeds are published beside quiz.json, which links to them relatively.
  const files = [];
  for (const file of result.files) {
    const fileKey = workKey(upload.assetVersionId, file.name);
    await deps.uploads.put(fileKey, file.bytes, { contentType: file.contentType });
    files.push({ name: file.name, contentType: file.contentType, sha256: sha256Hex(file.bytes), size: file.bytes.length, from: { store: 'uploads' as const, key: fileKey } });
  }
  return {
    accepted: true,
    format: result.format,
    reasons: [],
    warnings: result.warnings,
    // Descriptions are not questions: the card's count and the quiz's own header agree.
    metadata: { questionCount: countQuestions(result.quiz), ...(result.quiz.title ? { title: result.quiz.title } : {}) },
    contentSha256: sha256,
    artifacts: [{ name: 'quiz.json', contentType: 'application/json', sha256: sha256Hex(canonical), size: Buffer.byteLength(canonical), from: { store: 'uploads', key } }, ...files],
  };
}
