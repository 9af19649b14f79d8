/**
 * What the Lambda bundles get instead of postcss (serverless.yml `esbuild.alias`). sanitize-html
 * requires postcss at load time but calls it only to parse style attributes, and lectern turns
 * that off (`parseStyleAttributes: false`): it filters styles itself, in
 * shared/quiz/sanitize-html.ts. Leaving postcss out keeps ~25 KB out of validateQuiz's zip.
 */
import { InternalError } from '../contract/errors.js';
export function parse(): never {
  throw new InternalError('postcss is not bundled: lectern filters style attributes itself (shared/quiz/sanitize-html.ts, vetStyle).');
}
