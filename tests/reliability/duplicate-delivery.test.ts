/**
 * Duplicate delivery: S3 (through EventBridge and SQS) delivers each event at least once. Every
 * upload's "Object Created" event is delivered three times at once through ingest-upload's
 * use-case with the local orchestrator, and once more after it finished: one execution, one
 * asset version, one set of outputs, one record, one report, one invalidation, one notification.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestUpload } from '../../shared/use-cases/ingest-upload.js';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { BROKEN_GIFT, GOOD_GIFT, GOOD_NATIVE_YAML, makeTextPdf, text } from '../helpers/upload-fixtures.js';
import { checkConsistency, objectCreatedEvent } from './support.js';

// The orchestrator twin is what is under test; PostgreSQL directly adds nothing PgBouncer does not.
describe.each(DIALECTS.filter((d) => d.name !== 'postgres'))('duplicate S3 deliveries ($name)', (dialect) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await openTestStack(dialect);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('three simultaneous deliveries of each event start one execution and publish once', async () => {
    const files: Array<[string, Uint8Array]> = [
      ['courses/dup-course/lessons/week-1/Cell Structure + Notes.pdf', await makeTextPdf({ pages: 2, title: 'Cells' })],
      ['courses/dup-course/lessons/week-1/basics.gift', text(GOOD_GIFT)],
      ['courses/dup-course/lessons/week-2/check.quiz.yaml', text(GOOD_NATIVE_YAML)],
      ['courses/dup-course/lessons/week-2/broken.gift', text(BROKEN_GIFT)],
    ];
    for (const [key, bytes] of files) await stack.uploads.put(key, bytes);
    const events = await Promise.all(files.map(([key]) => objectCreatedEvent(stack.uploads, key)));

    const outcomes = await Promise.all(events.flatMap((event) => [0, 1, 2].map(() => ingestUpload(structuredClone(event), stack.deps))));
    await stack.orchestrator.drain();

    for (const [key] of files) {
      const mine = outcomes.filter((o) => 'key' in o && o.key === key);
      expect(mine.map((o) => o.status).sort(), key).toEqual(['duplicate', 'duplicate', 'started']);
      expect(new Set(mine.map((o) => 'executionName' in o && o.executionName)).size, key).toBe(1);
    }
    // a late redelivery, after the execution ended, is a duplicate too
    const late = await ingestUpload(structuredClone(events[0]!), stack.deps);
    expect(late.status).toBe('duplicate');

    const executions = await stack.orchestrator.list();
    expect(executions).toHaveLength(files.length);
    const names = outcomes.flatMap((o) => ('executionName' in o ? [o.executionName] : []));
    expect(new Set(executions.map((e) => e.name))).toEqual(new Set(names));
    for (const execution of executions) {
      // ran once: every Task entered once
      const entered = execution.history.filter((e) => e.type === 'StateEntered').map((e) => e.state);
      expect(new Set(entered).size, execution.name).toBe(entered.length);
    }

    const rows = await stack.db.selectFrom('asset_versions').select(['id', 'status', 'source_key', 'attempts']).orderBy('source_key').execute();
    expect(rows.map((r) => [r.source_key, r.status])).toEqual(
      [...files.map(([key]) => [key, key.includes('broken') ? 'rejected' : 'published'])].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect(await stack.db.selectFrom('assets').select('id').execute()).toHaveLength(3);

    const tree = Object.keys(await stack.publishedTree());
    const outputs = tree.filter((k) => !k.endsWith('manifest.json'));
    expect(outputs).toHaveLength(3); // one version of each published file, nothing more
    expect(tree.filter((k) => k.endsWith('manifest.json'))).toHaveLength(2);

    const invalidations = await stack.cdn.log();
    expect(invalidations).toHaveLength(3);
    expect(new Set(invalidations.map((i) => i.callerReference)).size).toBe(3);

    const notifications = (await readFile(path.join(stack.stateDir, 'notifications.jsonl'), 'utf8')).trim().split('\n');
    expect(notifications).toHaveLength(files.length);

    const { problems, counts } = await checkConsistency(stack);
    expect(problems).toEqual([]);
    expect(counts).toEqual({ published: 3, rejected: 1 });
  });
});
