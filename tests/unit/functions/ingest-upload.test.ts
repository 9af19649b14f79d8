/**
 * The ingest queue's handler: one execution per upload, a partial-batch response naming exactly
 * the records whose execution could not be started (they go back to the queue, then its DLQ).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/ingest-upload/create-handler.js';
import { DependencyUnavailableError } from '../../../shared/contract/errors.js';
import type { Orchestrator } from '../../../shared/ports/orchestrator.js';
import { REPO_ROOT } from '../../infra/state-machine-helpers.js';

const batch = (): SQSEvent => structuredClone(JSON.parse(readFileSync(path.join(REPO_ROOT, 'events/sqs/ingest-batch.json'), 'utf8')) as SQSEvent);
const context = { functionName: 'ingestUpload', awsRequestId: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

/** Step Functions' StartExecution semantics: a name is started once; `failing` keys are throttled. */
function orchestrator(failing: RegExp = /^$/): Orchestrator & { started: string[] } {
  const started: string[] = [];
  return {
    started,
    async startExecution(name, input) {
      const key = (input as { source: { key: string } }).source.key;
      if (failing.test(key)) throw new DependencyUnavailableError(`StartExecution throttled for ${key}`);
      if (started.includes(name)) return { started: false, executionArn: `arn:${name}` };
      started.push(name);
      return { started: true, executionArn: `arn:${name}` };
    },
  };
}

describe('ingest-upload handler', () => {
  it('starts one execution per upload version; a duplicate delivery starts nothing', async () => {
    const sfn = orchestrator();
    const response = await createHandler(() => ({ orchestrator: sfn }))(batch(), context);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sfn.started).toHaveLength(2); // the quiz (delivered twice) and the PDF
  });

  it('reports only the records that failed, so SQS redelivers just those', async () => {
    const sfn = orchestrator(/\.pdf$/);
    const event = batch();
    event.Records.push({ ...event.Records[0]!, messageId: 'not-json', body: '{"detail-type": "Object Cre' });
    const response = await createHandler(() => ({ orchestrator: sfn }))(event, context);
    const pdf = event.Records[1]!.messageId;
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([pdf, 'not-json'].sort());
    expect(sfn.started).toHaveLength(1);
  });

  it('fails the whole invocation when no record could be started', async () => {
    const handler = createHandler(() => ({ orchestrator: orchestrator(/./) }));
    await expect(handler(batch(), context)).rejects.toThrow(/All records failed processing/);
  });
});
