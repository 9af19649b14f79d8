/**
 * What the use-cases need from the outside world. Each use-case takes only the part it uses
 * (`Pick<Deps, …>`). Each function module exports `createHandler(deps)`: in Lambda,
 * `handler = createHandler(awsDeps)` builds exactly that part from the environment (`shared/aws/*`),
 * so its bundle carries only its own AWS clients; the local stack binds every handler to its twins.
 */
import type { LecternConfig } from './config.js';
import type { LecternDb } from '../db/database.js';
import type { Cdn } from '../ports/cdn.js';
import type { CookieSigner } from '../ports/cookie-signer.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { ExecutionControl } from '../ports/execution-control.js';
import type { MetricsSink } from '../ports/metrics.js';
import type { Notifier } from '../ports/notifier.js';
import type { Orchestrator } from '../ports/orchestrator.js';
import type { TaskCallbacks } from '../ports/task-callbacks.js';
import type { Transcoder } from '../ports/transcoder.js';
import type { ManifestBatcher } from '../use-cases/update-manifest.js';
import type { Transcriber } from '../ports/transcriber.js';

export interface Deps {
  config: LecternConfig;
  /** The educators' upload bucket (sources, `_reports/`, `_work/`). */
  uploads: ObjectStore;
  /** The published bucket behind the CDN. */
  published: ObjectStore;
  cdn: Cdn;
  /** Signs CloudFront cookies for grants (the stage's key from Secrets Manager; locally the state folder's). */
  signer: CookieSigner;
  db: LecternDb;
  /** Starts publish-content executions (ingest, replay, smoke). */
  orchestrator: Orchestrator;
  /** Lists, describes and redrives executions (replay, reconciler). */
  executions: ExecutionControl;
  /** Runs video/audio transcode jobs: MediaConvert, or ffmpeg locally. */
  transcoder: Transcoder;
  /** Speech → WebVTT subtitles for automatic captions: Amazon Transcribe, or pocketsphinx locally. */
  transcriber: Transcriber;
  /** Answers the SubmitTranscode task that waits for a job (SendTaskSuccess/Failure/Heartbeat). */
  taskCallbacks: TaskCallbacks;
  /** CloudWatch metrics (EMF) in AWS; a JSON-lines log locally. */
  metrics: MetricsSink;
  /** Educator notifications (SNS topic per stage); a JSON-lines log locally. */
  notifier: Notifier;
  now: () => Date;
  /**
   * Manifest updates of one lesson one write at a time within this process, coalesced: the local
   * stack runs every execution in one process, where hundreds of uploads to one lesson would
   * otherwise race each other's conditional writes until the attempts ran out (500 at once: over
   * half failed), and each would rewrite the whole manifest. Absent in Lambda, where the
   * conditional write alone arbitrates between containers.
   */
  manifestBatcher?: ManifestBatcher;
}
