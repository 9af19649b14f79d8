/**
 * The CDN port over Amazon CloudFront: invalidations of mutable paths (lesson manifests). The
 * client comes in from outside (`new CloudFrontClient({})`; CloudFront is a global service).
 *
 * Idempotency is CloudFront's own: the caller reference names the batch. The same reference with
 * the same paths returns the invalidation created the first time (CloudFront does not say it was a
 * repeat, so neither can we; nothing new is created either way); the same reference with other
 * paths is `InvalidationBatchAlreadyExists`, reported as `duplicate: true`.
 */
import { CreateInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { DependencyUnavailableError } from '../contract/errors.js';
import type { Cdn, InvalidationRequest, InvalidationResult } from '../ports/cdn.js';

export interface CloudFrontCdnOptions {
  distributionId: string;
  /** Public base URL of the distribution (custom domain or `https://dxxxx.cloudfront.net`). */
  baseUrl: string;
}

/** CloudFront's limit on paths per invalidation batch (without wildcards: 3000 in progress). */
export const MAX_PATHS_PER_INVALIDATION = 3000;

export class CloudFrontCdn implements Cdn {
  readonly baseUrl: string;
  readonly #client: CloudFrontClient;
  readonly #distributionId: string;

  constructor(client: CloudFrontClient, options: CloudFrontCdnOptions) {
    this.#client = client;
    this.#distributionId = options.distributionId;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async invalidate(request: InvalidationRequest): Promise<InvalidationResult> {
    const paths = [...new Set(request.paths)];
    if (paths.length === 0) throw new RangeError('An invalidation needs at least one path.');
    if (paths.length > MAX_PATHS_PER_INVALIDATION) throw new RangeError(`At most ${MAX_PATHS_PER_INVALIDATION} paths per invalidation (got ${paths.length}).`);
    const invalid = paths.find((path) => !path.startsWith('/'));
    if (invalid !== undefined) throw new RangeError(`Invalidation paths begin with "/" (got "${invalid}").`);
    if (request.callerReference.length === 0) throw new RangeError('An invalidation needs a caller reference.');

    try {
      const out = await this.#client.send(
        new CreateInvalidationCommand({
          DistributionId: this.#distributionId,
          InvalidationBatch: {
            CallerReference: request.callerReference,
            Paths: { Quantity: paths.length, Items: paths },
          },
        }),
      );
      return { id: out.Invalidation?.Id ?? '', duplicate: false };
    } catch (error) {
      if (error instanceof Error && error.name === 'InvalidationBatchAlreadyExists') {
        // CloudFront's error does not say which invalidation holds the reference.
        return { id: '', duplicate: true };
      }
      if (isRetryable(error)) {
        throw new DependencyUnavailableError(`CloudFront is unavailable while invalidating ${paths.length} path(s) (${describeError(error)}).`, { cause: error });
      }
      throw error;
    }
  }
}

/**
 * Throttling, 5xx, timeouts and lost connections (the SDK's own classification), plus
 * CloudFront's limit on invalidations in progress, which clears as they complete.
 */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TooManyInvalidationsInProgress') return true;
  const sdkError = error as Parameters<typeof isThrottlingError>[0];
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
