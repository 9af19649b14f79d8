/**
 * Every dependency, built from the Lambda environment. Functions normally ask for just what they
 * use (see their handler.ts), which keeps each bundle to its own AWS clients; this full set is for
 * tools that need everything.
 */
import { cdn } from './aws/cloudfront.js';
import { database } from './aws/database.js';
import { lambdaConfig } from './aws/environment.js';
import { transcoder } from './aws/mediaconvert.js';
import { metrics } from './aws/metrics.js';
import { notifier } from './aws/notifications.js';
import { publishedStore, uploadsStore } from './aws/s3.js';
import { executions, orchestrator, taskCallbacks } from './aws/step-functions.js';
import type { Deps } from './deps.js';

export function createAwsDeps(): Deps {
  return {
    config: lambdaConfig(),
    uploads: uploadsStore(),
    published: publishedStore(),
    cdn: cdn(),
    db: database(),
    orchestrator: orchestrator(),
    executions: executions(),
    transcoder: transcoder(),
    taskCallbacks: taskCallbacks(),
    metrics: metrics(),
    notifier: notifier(),
    now: () => new Date(),
  };
}
