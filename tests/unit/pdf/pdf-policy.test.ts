import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PDF_POLICY,
  parsePdfPolicy,
  PdfPolicyError,
  resolvePdfPolicy,
} from '../../../shared/pdf/pdf-policy.js';

describe('DEFAULT_PDF_POLICY', () => {
  it('rejects active content, flags XFA, accepts owner-password-only and repaired files', () => {
    expect(DEFAULT_PDF_POLICY).toMatchObject({
      javascript: 'reject',
      launch: 'reject',
      embeddedFiles: 'reject',
      richMedia: 'reject',
      xfa: 'flag',
      ownerPasswordOnly: 'accept',
      damaged: 'accept',
    });
    expect(Object.isFrozen(DEFAULT_PDF_POLICY)).toBe(true);
  });
});

describe('parsePdfPolicy', () => {
  it('returns the defaults when nothing is set (empty values count as unset)', () => {
    expect(parsePdfPolicy({})).toEqual(DEFAULT_PDF_POLICY);
    expect(parsePdfPolicy({ LECTERN_PDF_MAX_PAGES: '', PATH: '/bin' })).toEqual(DEFAULT_PDF_POLICY);
  });

  it('reads every LECTERN_PDF_* variable', () => {
    const policy = parsePdfPolicy({
      LECTERN_PDF_MAX_BYTES: '50MiB',
      LECTERN_PDF_MAX_PAGES: '300',
      LECTERN_PDF_JAVASCRIPT: 'flag',
      LECTERN_PDF_LAUNCH: 'FLAG',
      LECTERN_PDF_EMBEDDED_FILES: 'flag',
      LECTERN_PDF_RICH_MEDIA: 'flag',
      LECTERN_PDF_XFA: 'reject',
      LECTERN_PDF_OWNER_PASSWORD_ONLY: 'reject',
      LECTERN_PDF_DAMAGED: 'reject',
      LECTERN_PDF_TIMEOUT_MS: '5000',
      LECTERN_PDF_TEXT_LAYER_SAMPLE_PAGES: '0',
    });
    expect(policy).toEqual({
      maxBytes: 50 * 1024 * 1024,
      maxPages: 300,
      javascript: 'flag',
      launch: 'flag',
      embeddedFiles: 'flag',
      richMedia: 'flag',
      xfa: 'reject',
      ownerPasswordOnly: 'reject',
      damaged: 'reject',
      timeoutMs: 5000,
      textLayerSamplePages: 0,
    });
  });

  it('accepts byte counts with binary units', () => {
    expect(parsePdfPolicy({ LECTERN_PDF_MAX_BYTES: '1048576' }).maxBytes).toBe(1024 * 1024);
    expect(parsePdfPolicy({ LECTERN_PDF_MAX_BYTES: '512 KiB' }).maxBytes).toBe(512 * 1024);
    expect(parsePdfPolicy({ LECTERN_PDF_MAX_BYTES: '1GiB' }).maxBytes).toBe(1024 ** 3);
  });

  it('names every bad value at once', () => {
    const parse = (): unknown =>
      parsePdfPolicy({
        LECTERN_PDF_MAX_BYTES: '50MB',
        LECTERN_PDF_MAX_PAGES: '-3',
        LECTERN_PDF_JAVASCRIPT: 'allow',
        LECTERN_PDF_TIMEOUT_MS: '1.5',
      });
    expect(parse).toThrow(PdfPolicyError);
    try {
      parse();
    } catch (error) {
      const problems = (error as PdfPolicyError).problems;
      expect(problems).toHaveLength(4);
      expect(problems.join('\n')).toMatch(/LECTERN_PDF_MAX_BYTES .*KiB\/MiB\/GiB.*'50MB'/);
      expect(problems.join('\n')).toMatch(/LECTERN_PDF_JAVASCRIPT must be one of 'reject', 'flag', got 'allow'/);
      expect((error as Error).name).toBe('PdfPolicyError');
    }
  });

  it('refuses an unknown LECTERN_PDF_* variable (a typo would otherwise be ignored)', () => {
    expect(() => parsePdfPolicy({ LECTERN_PDF_JAVASCRIPTS: 'flag' })).toThrow(/unknown variable LECTERN_PDF_JAVASCRIPTS/);
  });

  it('refuses values out of range', () => {
    expect(() => parsePdfPolicy({ LECTERN_PDF_TIMEOUT_MS: '10' })).toThrow(/LECTERN_PDF_TIMEOUT_MS/);
    expect(() => parsePdfPolicy({ LECTERN_PDF_MAX_PAGES: '0' })).toThrow(/LECTERN_PDF_MAX_PAGES/);
  });
});

describe('resolvePdfPolicy', () => {
  it('overlays valid fields and reports invalid ones without throwing', () => {
    expect(resolvePdfPolicy({ maxPages: 5 })).toEqual({ policy: { ...DEFAULT_PDF_POLICY, maxPages: 5 }, problems: [] });
    const { problems } = resolvePdfPolicy({ maxPages: 0, colour: 'red' } as never);
    expect(problems).toEqual([expect.stringMatching(/maxPages/), "unknown policy field 'colour'"]);
  });
});
