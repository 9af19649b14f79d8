/** Shared by the caption tests: run text or a fixture through the real entry point. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reason } from '../../../shared/contract/errors.js';
import { validateCaptions, type CaptionsVerdict, type ValidateCaptionsInput } from '../../../shared/captions/validate-captions.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/captions/', import.meta.url));

export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(`${FIXTURES}${name}`);
}

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

export function validateText(fileName: string, text: string, limits?: ValidateCaptionsInput['limits']): CaptionsVerdict {
  return validateCaptions({ bytes: bytes(text), fileName, ...(limits ? { limits } : {}) });
}

export function validateFixture(name: string): CaptionsVerdict {
  return validateCaptions({ bytes: fixtureBytes(name), fileName: name });
}

/** The accepted verdict; fails the test with the reasons otherwise. */
export function accepted(verdict: CaptionsVerdict): Extract<CaptionsVerdict, { ok: true }> {
  if (!verdict.ok) throw new Error(`expected the captions to be accepted, got:\n${JSON.stringify(verdict.reasons, null, 2)}`);
  return verdict;
}

/** The reasons of a rejected verdict; fails the test when it was accepted. */
export function rejected(verdict: CaptionsVerdict): Reason[] {
  if (verdict.ok) throw new Error(`expected the captions to be rejected, got:\n${verdict.webvtt}`);
  return verdict.reasons;
}

/** `code@line:column`, the shape most assertions compare. */
export const where = (reasons: Reason[]): string[] => reasons.map((r) => `${r.code}@${r.line ?? '-'}:${r.column ?? '-'}`);
