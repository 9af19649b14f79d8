/** `lectern migrate`: apply pending database migrations (DATABASE_URL, or the local embedded DB). */
import path from 'node:path';
import { createDatabase, migrateToLatest } from '../../shared/db/open-database.js';
import { COMMON_OPTIONS, parse } from '../args.js';

export const MIGRATE_USAGE = `lectern migrate [--database-url <url>] [--state-dir <dir>]

  Applies every pending migration. Uses --database-url, else DATABASE_URL, else the embedded
  database of the local state directory.`;

export async function migrateCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, { ...COMMON_OPTIONS, stage: { type: 'string' } });
  if (values.help) {
    out.write(`${MIGRATE_USAGE}\n`);
    return 0;
  }
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  const db = await createDatabase(url ? { url } : { pglite: path.join(path.resolve(values['state-dir']), 'db') });
  try {
    const result = await migrateToLatest(db);
    const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    out.write(applied.length > 0 ? `lectern: applied ${applied.join(', ')}\n` : 'lectern: database is up to date\n');
    return 0;
  } finally {
    await db.destroy();
  }
}
