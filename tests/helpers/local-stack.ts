/** A local stack in a temporary state directory, on the given test dialect. */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { openLocalStack, type LocalStack, type LocalStackOptions } from '../../local/local-stack.js';
import { dropTestDatabase, openTestDatabase, type TestDialect } from './dialects.js';

export interface TestStack extends LocalStack {
  dispose(): Promise<void>;
  /** Every published file (relative path → sha256), its `.meta` folder (the store's metadata journal) excluded. */
  publishedTree(): Promise<Record<string, string>>;
  report(key: string): Promise<Record<string, unknown>>;
}

export async function openTestStack(dialect: TestDialect, env: Record<string, string> = {}, options: Partial<Omit<LocalStackOptions, 'stateDir' | 'databaseUrl' | 'env'>> = {}): Promise<TestStack> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-stack-'));
  const database = dialect.server ? await openTestDatabase(dialect) : undefined;
  if (database) await database.db.destroy(); // the stack opens its own pool on the same database
  const stack = await openLocalStack({ stateDir, retryIntervalMs: 1, ...options, env, ...(database?.url ? { databaseUrl: database.url } : {}) });
  return Object.assign(stack, {
    async dispose() {
      await stack.close();
      if (database?.url) await dropTestDatabase(database.url);
      await rm(stateDir, { recursive: true, force: true, maxRetries: 5 });
    },
    async publishedTree() {
      const root = path.join(stateDir, 'published');
      const tree: Record<string, string> = {};
      const walk = async (dir: string) => {
        for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
          if (entry.name === '.meta') continue;
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else tree[path.relative(root, full)] = createHash('sha256').update(await readFile(full)).digest('hex');
        }
      };
      await walk(root);
      return tree;
    },
    async report(key: string) {
      return JSON.parse(new TextDecoder().decode((await stack.uploads.get(`_reports/${key}.json`))!)) as Record<string, unknown>;
    },
  });
}
