/**
 * Deps for a Lambda container in AWS, built once from the environment: S3, CloudFront, Step
 * Functions and MediaConvert clients, and one lazily connected `pg` connection (pool max 1) to RDS Proxy or
 * PgBouncer. Imported dynamically by `getDeps()`, so the local runtime never loads it.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { EmfMetrics } from './adapters/emf-metrics.js';
import { SnsNotifier } from './adapters/sns-notifier.js';
import { powertoolsMetrics } from './metrics.js';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CloudFrontCdn } from './adapters/cloudfront-cdn.js';
import { MediaConvertTranscoder } from './adapters/mediaconvert-transcoder.js';
import { S3ObjectStore } from './adapters/s3-object-store.js';
import { SfnExecutionControl } from './adapters/sfn-execution-control.js';
import { SfnOrchestrator } from './adapters/sfn-orchestrator.js';
import { SfnTaskCallbacks } from './adapters/sfn-task-callbacks.js';
import { parseConfig } from './config.js';
import { createDatabase } from './db/database.js';
import type { Deps } from './deps.js';
import type { ExecutionControl } from './ports/execution-control.js';
import type { Orchestrator } from './ports/orchestrator.js';

export async function createAwsDeps(env: Record<string, string | undefined> = process.env): Promise<Deps> {
  const config = parseConfig(env);
  const s3 = new S3Client({});
  const databaseUrl = config.databaseUrl;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: point it at RDS Proxy or PgBouncer (see docs/deploy.md).');
  const db = await createDatabase({ url: databaseUrl, maxConnections: 1, ssl: env.DATABASE_SSL === 'false' ? false : { rejectUnauthorized: true } });
  const orchestrator: Orchestrator = config.stateMachineArn
    ? new SfnOrchestrator(new SFNClient({}), config.stateMachineArn)
    : { startExecution: () => Promise.reject(new Error('STATE_MACHINE_ARN is not set for this function.')) };
  const missingArn = () => Promise.reject(new Error('STATE_MACHINE_ARN is not set for this function.'));
  const executions: ExecutionControl = config.stateMachineArn
    ? new SfnExecutionControl(new SFNClient({}), config.stateMachineArn)
    : { listUnsuccessful: missingArn, describe: missingArn, redrive: missingArn, start: missingArn };
  return {
    config,
    uploads: new S3ObjectStore(s3, config.uploadBucket as string),
    published: new S3ObjectStore(s3, config.publishedBucket as string),
    cdn: new CloudFrontCdn(new CloudFrontClient({}), { baseUrl: config.cdnBaseUrl as string, distributionId: config.cdnDistributionId ?? '' }),
    db,
    orchestrator,
    executions,
    // MEDIACONVERT_ENDPOINT only for accounts that still need their account endpoint.
    transcoder: new MediaConvertTranscoder(new MediaConvertClient(config.video.mediaconvert.endpoint ? { endpoint: config.video.mediaconvert.endpoint } : {})),
    taskCallbacks: new SfnTaskCallbacks(new SFNClient({})),
    metrics: new EmfMetrics(powertoolsMetrics),
    notifier: env.NOTIFICATIONS_TOPIC_ARN
      ? new SnsNotifier(new SNSClient({}), env.NOTIFICATIONS_TOPIC_ARN)
      : { notify: async () => undefined }, // no topic configured for this function: nothing to tell
    now: () => new Date(),
  };
}
