/**
 * The CloudFront adapter: the CreateInvalidation request as the real CloudFrontClient serialises
 * it (CloudFront has no local server to test against), and its reading of CloudFront's answers.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import { CloudFrontCdn } from '../../../shared/adapters/cloudfront-cdn.js';
import { DependencyUnavailableError } from '../../../shared/contract/errors.js';
import { OFFLINE_CLIENT_CONFIG, RecordingHandler, connectionReset, xmlError, type Answer } from './wire.js';

const DISTRIBUTION = 'E2QWRUHEXAMPLE';

function cdnWith(...answers: Answer[]): { cdn: CloudFrontCdn; handler: RecordingHandler } {
  const handler = new RecordingHandler(...answers);
  const client = new CloudFrontClient({ ...OFFLINE_CLIENT_CONFIG, region: 'us-east-1', requestHandler: handler });
  return { cdn: new CloudFrontCdn(client, { distributionId: DISTRIBUTION, baseUrl: 'https://d111111abcdef8.cloudfront.net/' }), handler };
}

const created: Answer = {
  status: 201,
  headers: { 'content-type': 'text/xml', location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${DISTRIBUTION}/invalidation/I2J0I21PCUYOIK` },
  body: `<?xml version="1.0"?>
<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">
  <Id>I2J0I21PCUYOIK</Id><Status>InProgress</Status><CreateTime>2025-03-04T09:16:40Z</CreateTime>
  <InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/courses/intro-to-physics/lessons/01-motion/manifest.json</Path></Items></Paths>
  <CallerReference>av-0123-abc</CallerReference></InvalidationBatch>
</Invalidation>`,
};

const request = { paths: ['/courses/intro-to-physics/lessons/01-motion/manifest.json', '/courses/intro-to-physics/lessons/02-forces/manifest.json'], callerReference: 'av-0123-abc' };

describe('CloudFrontCdn.invalidate', () => {
  it('POSTs one invalidation batch for the distribution, with the caller reference and every path', async () => {
    const { cdn, handler } = cdnWith(created);
    expect(await cdn.invalidate(request)).toEqual({ id: 'I2J0I21PCUYOIK', duplicate: false });
    const [wire] = handler.requests;
    expect(wire?.method).toBe('POST');
    expect(wire?.path).toBe(`/2020-05-31/distribution/${DISTRIBUTION}/invalidation`);
    const body = wire?.body ?? '';
    expect(body).toContain('<InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">');
    expect(body).toContain('<CallerReference>av-0123-abc</CallerReference>');
    expect(body).toContain('<Quantity>2</Quantity>');
    expect(body).toContain('<Path>/courses/intro-to-physics/lessons/01-motion/manifest.json</Path>');
    expect(body).toContain('<Path>/courses/intro-to-physics/lessons/02-forces/manifest.json</Path>');
  });

  it('keeps the base URL without its trailing slash', () => {
    expect(cdnWith(created).cdn.baseUrl).toBe('https://d111111abcdef8.cloudfront.net');
  });

  it('reads InvalidationBatchAlreadyExists (same reference, other paths) as a duplicate', async () => {
    const { cdn } = cdnWith(xmlError(409, 'InvalidationBatchAlreadyExists', 'The CallerReference you provided has already been used.'));
    expect(await cdn.invalidate(request)).toEqual({ id: '', duplicate: true });
  });

  it.each([
    ['TooManyInvalidationsInProgress', xmlError(400, 'TooManyInvalidationsInProgress', 'Your request contains too many invalidations.')],
    ['Throttling', xmlError(400, 'Throttling', 'Rate exceeded')],
    ['ServiceUnavailable', xmlError(503, 'ServiceUnavailable', 'Service unavailable')],
    ['a reset connection', connectionReset()],
  ])('turns %s into DependencyUnavailableError', async (_label, answer) => {
    const { cdn } = cdnWith(answer);
    await expect(cdn.invalidate(request)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('lets a missing distribution or access denied through unchanged', async () => {
    for (const answer of [xmlError(404, 'NoSuchDistribution', 'The specified distribution does not exist.'), xmlError(403, 'AccessDenied', 'Access denied.')]) {
      const error = await cdnWith(answer).cdn.invalidate(request).catch((caught: unknown) => caught);
      expect(error).not.toBeInstanceOf(DependencyUnavailableError);
      expect(['NoSuchDistribution', 'AccessDenied']).toContain((error as Error).name);
    }
  });

  it('rejects requests CloudFront would refuse, without calling it', async () => {
    const { cdn, handler } = cdnWith(created);
    await expect(cdn.invalidate({ paths: [], callerReference: 'x' })).rejects.toThrow(RangeError);
    await expect(cdn.invalidate({ paths: ['courses/no-leading-slash'], callerReference: 'x' })).rejects.toThrow(/begin with "\/"/);
    await expect(cdn.invalidate({ paths: ['/a'], callerReference: '' })).rejects.toThrow(/caller reference/);
    expect(handler.requests).toHaveLength(0);
  });

  it('sends each path once', async () => {
    const { cdn, handler } = cdnWith(created);
    await cdn.invalidate({ paths: ['/a/manifest.json', '/a/manifest.json'], callerReference: 'r' });
    expect(handler.requests[0]?.body).toContain('<Quantity>1</Quantity>');
  });
});
