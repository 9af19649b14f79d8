import { describe, expect, it } from 'vitest';
import { assetVersionId } from '../../shared/contract/asset-version.js';
import { parseCause } from '../../shared/use-cases/mark-ended.js';

describe('assetVersionId', () => {
  const source = { bucket: 'uploads', key: 'courses/c/lessons/l/a.pdf', etag: 'abc' };

  it('is a valid, stable Step Functions execution name', () => {
    const id = assetVersionId(source);
    expect(id).toMatch(/^av-[0-9a-f]{32}$/);
    expect(assetVersionId({ ...source })).toBe(id);
    expect(assetVersionId({ ...source, etag: '"abc"' })).toBe(id);
  });

  it('differs for another bucket, key, ETag or version id', () => {
    const id = assetVersionId(source);
    expect(assetVersionId({ ...source, bucket: 'other' })).not.toBe(id);
    expect(assetVersionId({ ...source, key: 'courses/c/lessons/l/b.pdf' })).not.toBe(id);
    expect(assetVersionId({ ...source, etag: 'abd' })).not.toBe(id);
    expect(assetVersionId({ ...source, versionId: 'v1' })).not.toBe(assetVersionId({ ...source, versionId: 'v2' }));
  });
});

describe('parseCause', () => {
  it("reads Lambda's serialised error and the [code] prefix our handlers add", () => {
    const cause = JSON.stringify({ errorType: 'InvalidKeyError', errorMessage: '[key.invalid-course-slug] The course name "X" is not valid.', trace: [] });
    expect(parseCause({ Error: 'InvalidKeyError', Cause: cause })).toEqual({ errorType: 'InvalidKeyError', code: 'key.invalid-course-slug', message: 'The course name "X" is not valid.' });
  });

  it('keeps a plain-text cause (States.* errors) as the message', () => {
    expect(parseCause({ Error: 'States.Timeout', Cause: 'Task timed out' })).toEqual({ errorType: 'States.Timeout', message: 'Task timed out' });
  });
});
