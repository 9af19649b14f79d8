/**
 * PGlite alone, as `lectern run` opens it (bench/cli-cost.ts): import it, open a state folder's
 * embedded database with lectern's settings (baseline WebAssembly tier, bounded memory, the array
 * types kept beside the data), run one statement, close — what any command that owns a folder pays
 * before its own work.   node dist/bench/lib/pglite-open.js <state-dir>
 */
import module from 'node:module';
import path from 'node:path';

module.enableCompileCache(); // as bin/lectern.js does
const stateDir = process.argv[2];
if (!stateDir) throw new Error('usage: pglite-open <state-dir>');
const { createDatabase, setWasmTiering } = await import('../../shared/db/open-database.js');
const { sql } = await import('kysely');
setWasmTiering('baseline');
const db = await createDatabase({ pglite: path.join(stateDir, 'db') });
await sql`select 1`.execute(db);
await db.destroy();
