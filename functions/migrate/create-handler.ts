/**
 * Applies pending database migrations from inside the VPC: `lectern migrate --stage <s>` (CI/CD)
 * invokes this function, because a CI runner cannot reach an RDS Proxy in private subnets.
 */
import { migrateToLatest } from '../../shared/db/migrate.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import type { Deps } from '../../shared/runtime/deps.js';

async function migrate(_event: unknown, deps: Pick<Deps, 'db'>): Promise<{ applied: string[] }> {
  const result = await migrateToLatest(deps.db);
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(migrate);
