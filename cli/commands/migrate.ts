/** `lectern migrate`: apply pending database migrations (DATABASE_URL, or the local embedded DB). */
import path from 'node:path';
import { createDatabase, migrateToLatest } from '../../shared/db/open-database.js';
import { claimStateFolder, newToken } from '../../local/state-folder-lock.js';
import { COMMON_OPTIONS, parse } from '../args.js';

export const MIGRATE_USAGE = `lectern migrate [--stage <stage>] [--database-url <url>] [--state-dir <dir>]

  Applies every pending migration. --stage invokes the stage's migrate function inside its VPC
  (lectern-<stage>-migrate; AWS credentials needed); otherwise --database-url, else DATABASE_URL,
  else the embedded database of the local state directory.`;

export async function migrateCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, { ...COMMON_OPTIONS, stage: { type: 'string' } });
  if (values.help) {
    out.write(`${MIGRATE_USAGE}\n`);
    return 0;
  }
  if (values.stage) return migrateStage(values.stage, out);
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (!url) return migrateStateFolder(values['state-dir'], out);
  const db = await createDatabase({ url });
  try {
    return report(await migrateToLatest(db), out);
  } finally {
    await db.destroy();
  }
}

/**
 * The embedded database of a state folder (created if new). If a command has the folder open, it
 * migrated it when it opened it; otherwise this process claims the folder while it migrates.
 */
async function migrateStateFolder(stateDir: string, out: NodeJS.WritableStream): Promise<number> {
  const dir = path.resolve(stateDir);
  const claim = await claimStateFolder(dir, { command: 'lectern migrate', api: '', token: newToken() });
  if (!claim.owned) {
    out.write(`lectern: ${stateDir} is open in ${claim.owner.command} (pid ${claim.owner.pid}), which brought its database up to date when it opened it\n`);
    return 0;
  }
  try {
    const db = await createDatabase({ pglite: path.join(dir, 'db') });
    try {
      return report(await migrateToLatest(db), out);
    } finally {
      await db.destroy();
    }
  } finally {
    await claim.release();
  }
}

function report(result: Awaited<ReturnType<typeof migrateToLatest>>, out: NodeJS.WritableStream): number {
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  out.write(applied.length > 0 ? `lectern: applied ${applied.join(', ')}\n` : 'lectern: database is up to date\n');
  return 0;
}

/** CI/CD cannot reach a private RDS Proxy: the stage's migrate function runs inside the VPC. */
async function migrateStage(stage: string, out: NodeJS.WritableStream): Promise<number> {
  const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
  const functionName = `lectern-${stage}-migrate`;
  const response = await new LambdaClient({}).send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode('{}') }));
  const payload = response.Payload ? new TextDecoder().decode(response.Payload) : '{}';
  if (response.FunctionError) {
    out.write(`lectern: ${functionName} failed: ${payload}\n`);
    return 1;
  }
  const { applied } = JSON.parse(payload) as { applied: string[] };
  out.write(applied.length > 0 ? `lectern: ${stage}: applied ${applied.join(', ')}\n` : `lectern: ${stage}: database is up to date\n`);
  return 0;
}
