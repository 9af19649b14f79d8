import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../../shared/runtime/logger.js';
import { ingestUpload, type IngestDeps, type S3ObjectCreatedEvent } from '../../shared/use-cases/ingest-upload.js';

/**
 * SQS batch → one execution per upload (Powertools Batch). A record whose execution could not be
 * started is reported as an item failure and goes back to the queue (then its DLQ).
 */
export function createHandler(build: () => IngestDeps) {
  let built: IngestDeps | undefined;
  const startExecution = async (record: SQSRecord): Promise<void> => {
    try {
      await ingestUpload(JSON.parse(record.body) as S3ObjectCreatedEvent, (built ??= build()));
    } catch (error) {
      logger.error('could not start an execution', { messageId: record.messageId, error: (error as Error).message });
      throw error;
    }
  };
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, startExecution, new BatchProcessor(EventType.SQS), { context }),
  ).use(injectLambdaContext(logger, { resetKeys: true }));
}
