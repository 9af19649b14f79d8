/**
 * InvalidateCdn: purge the mutable paths (manifests) only; immutable versioned keys never need it.
 * The caller reference is derived from the execution and the paths, so a retried call is a no-op.
 */
import { createHash } from 'node:crypto';
import type { Deps } from '../runtime/deps.js';

/** What invalidate cdn needs (its Lambda builds just this). */
export type InvalidateCdnDeps = Pick<Deps, 'cdn'>;
import type { InvalidateInput } from '../contract/pipeline.js';

export interface InvalidateResult {
  invalidationId?: string;
  duplicate: boolean;
  paths: string[];
}

export async function invalidateCdn(input: InvalidateInput, deps: InvalidateCdnDeps): Promise<InvalidateResult> {
  const paths = [...new Set(input.paths)].sort();
  if (paths.length === 0) return { duplicate: false, paths };
  const callerReference = `${input.executionName}-${createHash('sha256').update(paths.join('\n')).digest('hex').slice(0, 16)}`;
  const result = await deps.cdn.invalidate({ paths, callerReference });
  return { invalidationId: result.id, duplicate: result.duplicate, paths };
}
