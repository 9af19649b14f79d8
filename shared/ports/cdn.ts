/** The CDN port: invalidate mutable paths. CloudFront adapter; local twin writes a log. */
export interface InvalidationRequest {
  /** Paths beginning with `/`, as CloudFront takes them. */
  paths: string[];
  /** Idempotency key: the same reference twice creates one invalidation. */
  callerReference: string;
}

export interface InvalidationResult {
  id: string;
  /** True when this reference had been seen before and nothing new was created. */
  duplicate: boolean;
}

export interface Cdn {
  /** Public base URL of the published tree, without trailing slash. */
  readonly baseUrl: string;
  invalidate(request: InvalidationRequest): Promise<InvalidationResult>;
}
