/**
 * A native quiz read with the shared YAML reader (shared/yaml/read-yaml.ts), under the quiz's
 * limits, and each problem the reader finds worded as a `quiz.*` reason.
 */
import type { Reason } from '../contract/errors.js';
import { readYaml, type YamlDocument, type YamlLimits, type YamlProblem } from '../yaml/read-yaml.js';
import { reason } from './reasons.js';

export const MAX_NESTING = 64;
/** The data aliases may expand to: what the largest quiz file accepted (2 MiB) holds written out. */
export const MAX_EXPANDED_BYTES = 2 * 1024 * 1024;

export const QUIZ_YAML_LIMITS: YamlLimits = {
  maxFlowDepth: MAX_NESTING,
  maxIndent: 2 * MAX_NESTING,
  maxDepth: MAX_NESTING,
  /** 500 questions with many answers stay far below this; composing is linear up to here. */
  maxValues: 200_000,
  /** A quiz object has a dozen keys; thousands would only make the unique-key check slow. */
  maxMapKeys: 1000,
  /** Past this many misplaced tokens the file is not YAML; composing it would only make errors. */
  maxSyntaxProblems: 50,
  maxAliasCount: 100,
  maxExpandedBytes: MAX_EXPANDED_BYTES,
};

/** The quiz's data with positions, or its `quiz.*` reasons. `what` names the file in messages ("YAML quiz"). */
export function readQuizYaml(text: string, what: string): YamlDocument | { ok: false; errors: Reason[] } {
  const read = readYaml(text, QUIZ_YAML_LIMITS);
  return read.ok ? read : { ok: false, errors: quizYamlReasons(read.problem, what) };
}

function quizYamlReasons(problem: YamlProblem, what: string): Reason[] {
  const limits = QUIZ_YAML_LIMITS;
  switch (problem.kind) {
    case 'nesting':
      return [
        problem.nesting === 'flow'
          ? reason('quiz.too-deep', `The ${what} nests more than ${limits.maxFlowDepth} levels deep (at line ${problem.at.line}): a quiz never needs that; flatten the structure.`, problem.at)
          : reason('quiz.too-deep', `The ${what} is indented more than ${limits.maxIndent} columns (at line ${problem.at.line}): a quiz never needs that; flatten the structure.`, problem.at),
      ];
    case 'too-deep':
      return [
        reason(
          'quiz.too-deep',
          `The ${what} nests more than ${limits.maxDepth} levels deep${problem.at ? ` (at line ${problem.at.line})` : ''}: a quiz never needs that; flatten the structure.`,
          problem.at,
        ),
      ];
    case 'documents':
      return [reason('quiz.syntax', `The ${what} holds more than one document ('---'): put the whole quiz in one document.`, problem.at)];
    case 'too-many-keys':
      return [reason('quiz.too-large', `The ${what} has a mapping with more than ${limits.maxMapKeys} keys (line ${problem.at.line}): a quiz never needs that.`, problem.at)];
    case 'too-many-values':
      return [reason('quiz.too-large', `The ${what} holds more than ${limits.maxValues} values: split it into several quiz files.`)];
    case 'not-yaml':
      return [
        reason(
          'quiz.syntax',
          `${what} syntax error: the file is not valid YAML (more than ${limits.maxSyntaxProblems} problems; the first is at line ${problem.at.line}).`,
          problem.at,
        ),
      ];
    case 'empty':
      return [reason('quiz.syntax', `The ${what} is empty: write a quiz with a 'questions' list.`, { line: 1, column: 1 })];
    case 'syntax':
      return problem.errors.map((e) => reason('quiz.syntax', `${what} syntax error: ${plainMessage(e.message)} (line ${e.at.line}).`, e.at));
    case 'alias-count':
      return [
        reason(
          'quiz.too-many-aliases',
          `The ${what} expands YAML aliases (*name) too often (${plainMessage(problem.detail)}): write the values out instead of repeating aliases.`,
          problem.firstAlias ?? { line: 1, column: 1 },
        ),
      ];
    case 'alias-expansion':
      return [
        reason(
          'quiz.too-many-aliases',
          `The ${what} grows past ${mebibytes(limits.maxExpandedBytes)} once its YAML aliases (*name) are expanded (the alias at line ${problem.at.line}, column ${problem.at.column} takes it there): repeat less through aliases — write shared text once, or split the quiz into several files.`,
          problem.at,
        ),
      ];
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

function plainMessage(message: string): string {
  return message.replace(/\s+at line \d+, column \d+.*$/s, '').replace(/\.$/, '');
}
