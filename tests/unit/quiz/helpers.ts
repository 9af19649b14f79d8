/** Shared by the quiz tests: run text or a fixture through the real entry point. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reason } from '../../../shared/contract/errors.js';
import type { Quiz } from '../../../shared/quiz/model.js';
import { parseQuiz, type ParseQuizInput, type QuizResult } from '../../../shared/quiz/parse-quiz.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/quiz/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(`${FIXTURES}${name}`);
}

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

export function parseText(fileName: string, text: string, extra: Partial<ParseQuizInput> = {}): QuizResult {
  return parseQuiz({ bytes: new TextEncoder().encode(text), fileName, ...extra });
}

export function parseFixture(name: string, extra: Partial<ParseQuizInput> = {}): QuizResult {
  return parseQuiz({ bytes: fixtureBytes(name), fileName: name, ...extra });
}

/** The quiz of an accepted result; fails the test with the reasons otherwise. */
export function accepted(result: QuizResult): { quiz: Quiz; warnings: Reason[] } {
  if (!result.ok) throw new Error(`expected the quiz to be accepted, got:\n${JSON.stringify(result.reasons, null, 2)}`);
  return result;
}

/** The reasons of a rejected result; fails the test if the quiz was accepted. */
export function rejected(result: QuizResult): Reason[] {
  if (result.ok) throw new Error(`expected the quiz to be rejected, got ${result.quiz.questions.length} questions`);
  return result.reasons;
}

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`'${needle}' not found`);
  return index + 1;
}

/** 1-based column of `needle` on its first line. */
export function columnOf(text: string, needle: string): number {
  const line = text.split('\n').find((l) => l.includes(needle)) ?? '';
  return line.indexOf(needle) + 1;
}
