/** Shared by the course tests: run text or a fixture through the real entry point. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reason } from '../../../shared/contract/errors.js';
import { parseCourse, type ParseCourseInput, type ParseCourseResult } from '../../../shared/course/parse-course.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/course/', import.meta.url));

export const fixtureBytes = (name: string): Uint8Array => readFileSync(`${FIXTURES}${name}`);
export const fixtureText = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');
export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

export function parseText(text: string, limits?: ParseCourseInput['limits']): ParseCourseResult {
  return parseCourse({ bytes: bytes(text), fileName: 'course.yaml', ...(limits ? { limits } : {}) });
}

export function parseFixture(name: string): ParseCourseResult {
  return parseCourse({ bytes: fixtureBytes(name), fileName: 'course.yaml' });
}

export function accepted(result: ParseCourseResult): Extract<ParseCourseResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected course.yaml to be accepted, got:\n${JSON.stringify(result.reasons, null, 2)}`);
  return result;
}

export function rejected(result: ParseCourseResult): Reason[] {
  if (result.ok) throw new Error(`expected course.yaml to be rejected, got:\n${JSON.stringify(result.course, null, 2)}`);
  return result.reasons;
}

/** `code@line:column`, the shape most assertions compare. */
export const where = (reasons: Reason[]): string[] => reasons.map((r) => `${r.code}@${r.line ?? '-'}:${r.column ?? '-'}`);
