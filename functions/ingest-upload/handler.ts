import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { orchestrator as awsOrchestrator } from '../../shared/aws/step-functions.js';
import { getDeps, hasDepsFactory } from '../../shared/deps.js';
import { logger } from '../../shared/logger.js';
import { ingestUpload, type S3ObjectCreatedEvent } from '../../shared/use-cases/ingest-upload.js';

/** SQS batch → one execution per upload. Failed records go back to the queue (then its DLQ). */
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const orchestrator = hasDepsFactory() ? (await getDeps()).orchestrator : awsOrchestrator();
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await ingestUpload(JSON.parse(record.body) as S3ObjectCreatedEvent, orchestrator);
    } catch (error) {
      logger.error('could not start an execution', { messageId: record.messageId, error: (error as Error).message });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}).use(injectLambdaContext(logger, { resetKeys: true }));
