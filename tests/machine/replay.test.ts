/**
 * Ops' replay, end to end: a run fails at each state in turn (a fault injected at the Lambda
 * boundary until retries are exhausted), the cause is removed, replay brings every execution back,
 * and the records show one published version each; a second replay does nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../shared/contract/errors.js';
import { replayExecutions } from '../../shared/use-cases/replay-executions.js';
import { reconcile } from '../../shared/use-cases/reconcile.js';
import { LocalExecutionControl } from '../../local/local-execution-control.js';
import { openLocalStack, type LocalStack } from '../../local/local-stack.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIALECTS, dropTestDatabase, openTestDatabase } from '../helpers/dialects.js';
import { BROKEN_GIFT, GOOD_GIFT, makeTextPdf, text } from '../helpers/upload-fixtures.js';

const STATES = ['ClassifyUpload', 'ValidatePdf', 'ValidateQuiz', 'PublishAsset', 'InvalidateCdn', 'RecordPublished'] as const;

describe.each(DIALECTS)('replay after a failure at each state ($name)', (dialect) => {
  let stack: LocalStack;
  let stateDir: string;
  let drop: (() => Promise<void>) | undefined;
  const broken = new Set<string>();

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-replay-'));
    let databaseUrl: string | undefined;
    if (dialect.server) {
      const t = await openTestDatabase(dialect);
      await t.db.destroy();
      databaseUrl = t.url;
      drop = () => dropTestDatabase(t.url!);
    }
    stack = await openLocalStack({
      stateDir,
      retryIntervalMs: 1,
      ...(databaseUrl ? { databaseUrl } : {}),
      faults: (state) => (broken.has(state) ? new DependencyUnavailableError(`${state}: injected outage`) : undefined),
    });
  });
  afterAll(async () => {
    await stack?.close();
    await drop?.();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('brings back every failed execution once the cause is removed, with one published version each', async () => {
    const uploads: Array<{ state: string; key: string; id: string }> = [];
    for (const state of STATES) {
      broken.add(state);
      const key = `courses/ops-drill/lessons/${state.toLowerCase()}/${state === 'ValidateQuiz' ? 'check.gift' : 'slides.pdf'}`;
      const bytes = state === 'ValidateQuiz' ? text(GOOD_GIFT) : await makeTextPdf({ title: state });
      const result = await stack.upload(key, bytes);
      broken.delete(state);
      expect(result.status, state).toBe('failed');
      const row = await stack.db.selectFrom('asset_versions').selectAll().where('id', '=', result.assetVersionId).executeTakeFirstOrThrow();
      expect(row.failed_state, state).toBe(state);
      uploads.push({ state, key, id: result.assetVersionId });
    }
    // a rejection in the mix: listed, never replayed
    const rejected = await stack.upload('courses/ops-drill/lessons/rejected/broken.gift', text(BROKEN_GIFT));
    expect(rejected.status).toBe('rejected');

    const control = new LocalExecutionControl(stack.orchestrator);
    const dry = await replayExecutions(control, { dryRun: true });
    expect(dry.map((i) => [i.name, i.decision.action])).toEqual(expect.arrayContaining([...uploads.map((u) => [u.id, 'redrive']), [rejected.assetVersionId, 'skip']]));
    expect(dry.every((i) => i.outcome === undefined)).toBe(true);
    expect(dry.filter((i) => i.decision.action === 'redrive').map((i) => i.failedState)).toEqual(uploads.map(() => 'MarkFailed'));

    const items = await replayExecutions(control);
    expect(items.filter((i) => i.outcome === 'redriven').map((i) => i.name).sort()).toEqual(uploads.map((u) => u.id).sort());
    expect(items.find((i) => i.name === rejected.assetVersionId)?.outcome).toBe('skipped');

    for (const u of uploads) {
      expect((await stack.result(u.id, u.key)).status, u.state).toBe('published');
      const record = await stack.orchestrator.describe(u.id);
      expect(record?.status, u.state).toBe('SUCCEEDED');
      // the redrive resumed at the step that failed, not from the start
      const resumed = record!.history.slice(record!.history.findIndex((e) => e.type === 'ExecutionRedriven'));
      expect(resumed.filter((e) => e.type === 'StateEntered').map((e) => e.state)[2], u.state).toBe(u.state);
    }
    const versions = await stack.db.selectFrom('asset_versions').select(['id', 'status']).where('source_key', 'like', 'courses/ops-drill/%').execute();
    expect(versions.filter((v) => v.status === 'published')).toHaveLength(STATES.length);
    expect(versions).toHaveLength(STATES.length + 1);
    const assets = await stack.db.selectFrom('assets').select(['file_name', 'current_version_id']).execute();
    expect(assets.filter((a) => uploads.some((u) => u.id === a.current_version_id))).toHaveLength(STATES.length);
    const lessons = await stack.db.selectFrom('lessons').select('slug').execute();
    expect(new Set(lessons.map((l) => l.slug)).size).toBe(lessons.length);

    // a second replay finds nothing new to do
    const again = await replayExecutions(control);
    expect(again.filter((i) => i.outcome !== 'skipped')).toEqual([]);
  });

  it('reconciles executions that ended without recording their outcome, then replay brings them back', async () => {
    // the database is "down" for PublishAsset and for MarkFailed: the failure cannot be recorded
    broken.add('PublishAsset').add('MarkFailed');
    const stuck = await stack.upload('courses/ops-drill/lessons/reconcile/slides.pdf', await makeTextPdf({ title: 'Stuck' }));
    // a second one fails before any record exists (ClassifyUpload and MarkFailed both down)
    broken.add('ClassifyUpload');
    const unrecorded = await stack.upload('courses/ops-drill/lessons/reconcile/notes.pdf', await makeTextPdf({ title: 'Unrecorded' }));
    broken.clear();
    expect((await stack.orchestrator.describe(stuck.assetVersionId))?.status).toBe('FAILED');
    expect((await stack.db.selectFrom('asset_versions').select('status').where('id', '=', stuck.assetVersionId).executeTakeFirst())?.status).toBe('processing');
    expect(await stack.db.selectFrom('asset_versions').select('status').where('id', '=', unrecorded.assetVersionId).executeTakeFirst()).toBeUndefined();

    const { findings } = await reconcile({}, stack.deps, { stuckAfterMs: 0 });
    expect(findings.map((f) => [f.assetVersionId, f.problem, f.action]).sort()).toEqual(
      [
        [stuck.assetVersionId, 'execution-ended-unrecorded', 'marked-failed'],
        [unrecorded.assetVersionId, 'no-record', 'marked-failed'],
      ].sort(),
    );
    for (const id of [stuck.assetVersionId, unrecorded.assetVersionId]) {
      const row = await stack.db.selectFrom('asset_versions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect(row.failed_state).toBe('MarkFailed');
    }
    // idempotent: nothing more to do
    expect((await reconcile({}, stack.deps, { stuckAfterMs: 0 })).findings).toEqual([]);

    const items = await replayExecutions(new LocalExecutionControl(stack.orchestrator));
    expect(items.filter((i) => i.outcome === 'redriven').map((i) => i.name).sort()).toEqual([stuck.assetVersionId, unrecorded.assetVersionId].sort());
    expect((await stack.result(stuck.assetVersionId, 'courses/ops-drill/lessons/reconcile/slides.pdf')).status).toBe('published');
    expect((await stack.result(unrecorded.assetVersionId, 'courses/ops-drill/lessons/reconcile/notes.pdf')).status).toBe('published');
  });
});
