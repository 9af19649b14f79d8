/**
 * ValidateQuiz: parse any supported quiz format into the canonical model (HTML sanitised) and
 * stage the canonical `quiz.json` for PublishAsset. Content problems are a verdict, not an error.
 */
import { sha256Hex } from '../asset-version.js';
import type { Deps } from '../deps.js';

/** What validate quiz upload needs (its Lambda builds just this). */
export type ValidateQuizUploadDeps = Pick<Deps, 'config' | 'uploads'>;
import type { Validation, ValidateInput } from '../pipeline.js';
import { parseQuiz } from '../quiz/parse-quiz.js';
import { readSource, workKey } from './read-source.js';

export async function validateQuizUpload(input: ValidateInput, deps: ValidateQuizUploadDeps): Promise<Validation> {
  const { upload } = input;
  const { bytes, sha256 } = await readSource(deps, upload);
  const parse = (knownAssets: readonly string[]) =>
    parseQuiz({
      bytes,
      fileName: upload.fileName,
      knownAssets,
      unsupportedQuestions: deps.config.quizUnsupported,
      limits: { maxQuestions: deps.config.limits.maxQuestions, maxBytes: deps.config.limits.maxBytes.quiz },
    });
  // Images a quiz refers to must be files uploaded to the same lesson. Most quizzes show none: the
  // lesson folder is listed only for one that does (a lesson of a thousand quizzes would otherwise
  // be listed a thousand times), and that quiz is parsed again against the listing.
  let result = parse([]);
  if (result.ok && result.warnings.some((warning) => warning.code === 'quiz.missing-asset')) {
    const lessonPrefix = upload.source.key.slice(0, upload.source.key.length - upload.fileName.length);
    result = parse((await deps.uploads.list(lessonPrefix)).map((key) => key.slice(lessonPrefix.length)).filter((name) => !name.includes('/')));
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
    metadata: { questionCount: result.quiz.questions.length, ...(result.quiz.title ? { title: result.quiz.title } : {}) },
    contentSha256: sha256,
    artifacts: [{ name: 'quiz.json', contentType: 'application/json', sha256: sha256Hex(canonical), size: Buffer.byteLength(canonical), from: { store: 'uploads', key } }, ...files],
  };
}
