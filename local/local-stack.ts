/**
 * The whole pipeline on one machine: the filesystem buckets, the CDN log, PGlite (or any
 * DATABASE_URL) and the ASL file run by the local orchestrator with the real handlers.
 *
 *   <state-dir>/uploads/      the upload "bucket" (drop courses/<c>/lessons/<l>/<file> here)
 *   <state-dir>/published/    the published "bucket", served by `lectern dev`
 *   <state-dir>/db/           the embedded database (when DATABASE_URL is not set)
 *   <state-dir>/executions/   one JSON record per execution
 *   <state-dir>/executions-running/  which of them are running (for recovery after a crash)
 *   <state-dir>/cdn-invalidations.jsonl
 *   <state-dir>/cdn-keys.json the CloudFront key pair of signed cookies (local/signing-keys.ts)
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CloudFrontCookieSigner } from '../shared/adapters/cloudfront-cookie-signer.js';
import { FsObjectStore } from '../shared/adapters/fs-object-store.js';
import { LocalCdn } from '../shared/adapters/local-cdn.js';
import { JsonlMetrics, JsonlNotifier } from '../shared/adapters/jsonl-log.js';
import { KeyedQueue } from '../shared/util/keyed-queue.js';
import { assetVersionId, sourceOf, type SourceObject } from '../shared/contract/asset-version.js';
import { parseConfig } from '../shared/runtime/config.js';
import { createDatabase, migrateIfNeeded, type LecternDb } from '../shared/db/open-database.js';
import { getAssetVersion } from '../shared/db/asset-repository.js';
import type { Deps } from '../shared/runtime/deps.js';
import { DependencyUnavailableError, type Reason } from '../shared/contract/errors.js';
import type { ObjectStore } from '../shared/ports/object-store.js';
import { parseCause } from '../shared/use-cases/mark-ended.js';
import { ManifestBatcher } from '../shared/use-cases/update-manifest.js';
import { LocalExecutionControl } from './local-execution-control.js';
import { LocalStepFunctions } from './local-step-functions.js';
import type { ExecutionRecord, HistoryEvent } from './execution-records.js';
import { FfmpegTranscoder } from './ffmpeg-transcoder.js';
import { PocketsphinxTranscriber } from './pocketsphinx-transcriber.js';
import { invokeLambda, type LambdaHandler } from './lambda-invoker.js';
import { LocalTaskCallbacks, type WaitOptions } from './local-task-callbacks.js';
import { loadOrCreateLocalKeys, type LocalKeyPair } from './signing-keys.js';
import { eventHandlers, taskHandlers } from './task-handlers.js';

export const DEFAULT_PORT = 4321;
export const UPLOADS_BUCKET = 'lectern-local-uploads';
export const STATE_MACHINE = 'publish-content';

export interface LocalStackOptions {
  stateDir: string;
  /** Mark executions of dead processes ABORTED on opening (default true; `replay --dry-run`: false). */
  recoverInterrupted?: boolean;
  /** Any PostgreSQL; default: embedded PGlite in `<state-dir>/db`. */
  databaseUrl?: string;
  /** Base URL of the published tree (what `lectern dev` serves). */
  baseUrl?: string;
  /** Milliseconds between retries (tests); default: the ASL's own backoff. */
  retryIntervalMs?: number;
  /** Extra environment for the configuration (limits, PDF policy). */
  env?: Record<string, string | undefined>;
  /** ffmpeg binary for the local transcoder (default: LECTERN_FFMPEG, else `ffmpeg` on the PATH). */
  ffmpeg?: string;
  /** pocketsphinx binary for the local transcriber (default: LECTERN_POCKETSPHINX, else on the PATH). */
  pocketsphinx?: string;
  /** Heartbeat/timeout (ms) of `.waitForTaskToken` states instead of the ASL's seconds (tests). */
  callbackTimeouts?: Record<string, WaitOptions>;
  /** Milliseconds every Wait state waits (tests); default: the ASL's Seconds. */
  waitMs?: number;
  onEvent?: (execution: string, event: HistoryEvent) => void;
  /** Executions that run at once; the others wait their turn (default `DEFAULT_MAX_RUNNING`, 16). */
  maxRunning?: number;
  /**
   * Fault injection at the Lambda boundary (tests): called before each Task's handler; an error it
   * returns is thrown as if the function had failed.
   */
  faults?: (state: string) => Error | undefined;
  /**
   * The upload and published buckets. Default: the filesystem twins under the state directory;
   * tests pass `S3ObjectStore`s against s3rver to run the pipeline over the S3 adapter.
   */
  stores?: { uploads: ObjectStore; published: ObjectStore };
}

export interface UploadResult {
  key: string;
  kind?: string;
  status: 'published' | 'rejected' | 'failed';
  reasons: Reason[];
  warnings: Reason[];
  url?: string;
  assetVersionId: string;
  durationMs: number;
}

export interface LocalStack {
  deps: Deps;
  /** Functions invoked by events (EventBridge in AWS), bound to this stack's deps. */
  eventHandlers: ReturnType<typeof eventHandlers>;
  db: LecternDb;
  uploads: ObjectStore;
  published: ObjectStore;
  cdn: LocalCdn;
  orchestrator: LocalStepFunctions;
  /** MediaConvert's twin (ffmpeg); its events go to the real `transcode-events` handler. */
  transcoder: FfmpegTranscoder;
  /** Transcribe's twin (pocketsphinx); its events go to the real `transcription-events` handler. */
  transcriber: PocketsphinxTranscriber;
  /** Step Functions' task-token callbacks, in-process. */
  taskCallbacks: LocalTaskCallbacks;
  stateDir: string;
  /** The state folder's CloudFront key pair: the grant signs with it, the CDN twin trusts it. */
  keys: LocalKeyPair;
  /** What the CDN twin (`startStaticServer`) needs to enforce this stage's access. */
  cdnAccess: { config: Deps['config']['access']; trustedKeys: ReadonlyMap<string, string> };
  /** Puts the bytes at `key` in the upload bucket (as an educator would) and processes them. */
  upload(key: string, bytes: Uint8Array): Promise<UploadResult>;
  /** Processes an object already in the upload bucket (as an S3 event would). */
  process(source: SourceObject): Promise<UploadResult>;
  /** The outcome of an execution, from the database record (falls back to the execution). */
  result(name: string, key: string): Promise<UploadResult>;
  close(): Promise<void>;
}

export async function loadDefinition(name = STATE_MACHINE): Promise<Record<string, unknown>> {
  const file = new URL(`../state-machines/${name}.asl.json`, import.meta.url);
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

export async function openLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const stateDir = path.resolve(options.stateDir);
  await mkdir(stateDir, { recursive: true });
  const baseUrl = (options.baseUrl ?? `http://127.0.0.1:${DEFAULT_PORT}`).replace(/\/+$/, '');
  const config = parseConfig({ ...process.env, ...options.env, LECTERN_RUNTIME: 'local', LECTERN_STATE_DIR: stateDir, CDN_BASE_URL: baseUrl });
  // Versioned, as the upload bucket on AWS is: a revert to earlier bytes is a new version.
  const uploads = options.stores?.uploads ?? new FsObjectStore(path.join(stateDir, 'uploads'), { bucket: UPLOADS_BUCKET, versioned: true });
  const published = options.stores?.published ?? new FsObjectStore(path.join(stateDir, 'published'), { bucket: 'lectern-local-published' });
  const cdn = new LocalCdn({ baseUrl, logFile: path.join(stateDir, 'cdn-invalidations.jsonl') });
  const databaseUrl = options.databaseUrl ?? config.databaseUrl;
  // A new folder's key pair is generated on another thread while the database opens.
  const keysReady = loadOrCreateLocalKeys(stateDir);
  keysReady.catch(() => undefined); // awaited below; not unhandled if the database fails first
  const db = await createDatabase(databaseUrl ? { url: databaseUrl, maxConnections: 4 } : { pglite: path.join(stateDir, 'db') });
  await migrateIfNeeded(db);
  const taskCallbacks = new LocalTaskCallbacks();
  // The handlers are bound to this stack's deps, which hold the orchestrator that runs them: they
  // read `deps` when invoked, after it is built below.
  const ownDeps = (): Deps => deps;
  const handlers = taskHandlers(ownDeps);
  const events = eventHandlers(ownDeps);
  const orchestrator = new LocalStepFunctions({
    stateMachineName: STATE_MACHINE,
    definition: await loadDefinition(),
    handlers: options.faults ? withFaults(handlers, options.faults) : handlers,
    dir: path.join(stateDir, 'executions'),
    callbacks: taskCallbacks,
    ...(options.callbackTimeouts ? { callbackTimeouts: options.callbackTimeouts } : {}),
    ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
    ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.maxRunning === undefined ? {} : { maxRunning: options.maxRunning }),
  });
  // Executions a killed lectern process left RUNNING become ABORTED: `lectern replay` resumes them.
  // Executions left RUNNING by a dead process become ABORTED (replayable) — not on a dry run.
  if (options.recoverInterrupted !== false) await orchestrator.recoverInterrupted();
  // MediaConvert's twin reads and writes the same buckets, and EventBridge's part — delivering
  // "MediaConvert Job State Change" events to transcode-events — is a Lambda-semantics invoke.
  const transcoder = new FfmpegTranscoder({
    stores: { [uploads.bucket]: uploads, [published.bucket]: published },
    emit: async (event) => {
      await invokeLambda('transcodeEvents', events.TranscodeEvents, event);
    },
    ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
    jobsDir: path.join(stateDir, 'transcoder'),
  });
  // Transcribe's twin (pocketsphinx): its "Transcribe Job State Change" events go to transcription-events.
  const transcriber = new PocketsphinxTranscriber({
    stores: { [uploads.bucket]: uploads, [published.bucket]: published },
    emit: async (event) => {
      await invokeLambda('transcriptionEvents', events.TranscriptionEvents, event);
    },
    ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
    ...(options.pocketsphinx !== undefined ? { pocketsphinx: options.pocketsphinx } : {}),
  });
  const keys = await keysReady;
  const deps: Deps = {
    config,
    signer: new CloudFrontCookieSigner(async () => keys),
    uploads,
    published,
    cdn,
    db,
    orchestrator,
    executions: new LocalExecutionControl(orchestrator),
    transcoder,
    transcriber,
    taskCallbacks,
    metrics: new JsonlMetrics(path.join(stateDir, 'metrics.jsonl')),
    notifier: new JsonlNotifier(path.join(stateDir, 'notifications.jsonl')),
    now: () => new Date(),
    manifestBatcher: new ManifestBatcher(),
  };

  const result = async (name: string, key: string, ended?: ExecutionRecord): Promise<UploadResult> => {
    // A publication that just ended says everything in its output: no database round trip.
    const published = publishedOutcome(ended, key, 'recorded');
    if (published) return published;
    // The database may be down just now (PgBouncer restarting): then the execution record tells.
    const row = await getAssetVersion(db, name).catch((error: unknown) => {
      if (error instanceof DependencyUnavailableError) return undefined;
      throw error;
    });
    if (row && row.status !== 'processing') {
      return {
        key,
        ...(row.kind ? { kind: row.kind } : {}),
        status: row.status,
        reasons: row.reasons as Reason[],
        warnings: row.warnings as Reason[],
        ...(row.url ? { url: row.url } : {}),
        assetVersionId: name,
        durationMs: row.duration_ms ?? 0,
      };
    }
    // No final record: the execution could not even record its failure (e.g. database down), or
    // the record cannot be read right now.
    const record = ended ?? (await orchestrator.describe(name));
    const publishedUnrecorded = publishedOutcome(record, key, 'execution');
    if (publishedUnrecorded) return publishedUnrecorded;
    const { errorType, message } = parseCause(record?.error ? { Error: record.error, ...(record.cause ? { Cause: record.cause } : {}) } : undefined);
    return {
      key,
      ...(row?.kind ? { kind: row.kind } : {}),
      status: 'failed',
      reasons: [{ code: 'pipeline.failed', message: `${errorType}: ${message || 'the execution did not finish'}` }],
      warnings: [],
      assetVersionId: name,
      durationMs: executionDuration(record),
    };
  };

  const uploadsByKey = new KeyedQueue();
  const process_ = async (source: SourceObject): Promise<UploadResult> => {
    const name = assetVersionId(source);
    const { record } = await orchestrator.run(name, { source });
    return result(name, source.key, record);
  };

  return {
    deps,
    eventHandlers: events,
    db,
    uploads,
    published,
    cdn,
    orchestrator,
    transcoder,
    transcriber,
    taskCallbacks,
    stateDir,
    keys,
    cdnAccess: { config: config.access, trustedKeys: new Map([[keys.keyPairId, keys.publicKeyPem]]) },
    async upload(key, bytes) {
      // The same bytes as the current object are not uploaded again; other bytes — also bytes the
      // key held before (a revert) — are a new version, processed as the latest upload of the key.
      // One key at a time: the same bytes uploaded twice at once are one version, not two.
      const etag = createHash('md5').update(bytes).digest('hex');
      const head = await uploadsByKey.run(key, async () => {
        const existing = await uploads.head(key);
        if (existing?.etag === etag) return existing;
        await uploads.put(key, bytes);
        return uploads.head(key);
      });
      if (!head) throw new Error(`${key} disappeared from the upload bucket as it was written`);
      return process_(sourceOf(uploads.bucket, head));
    },
    process: process_,
    result,
    async close() {
      await orchestrator.drain();
      await transcoder.drain();
      await transcriber.drain();
      await db.destroy();
    },
  };
}

/**
 * The outcome of an execution that published `key`, from its output alone; undefined if it did not
 * publish. `recorded`: only once RecordPublished recorded it, with the duration it recorded;
 * `execution`: whenever the execution succeeded with a URL, timed by the execution itself (the
 * database could not be asked).
 */
function publishedOutcome(record: ExecutionRecord | undefined, key: string, from: 'recorded' | 'execution'): UploadResult | undefined {
  if (record?.status !== 'SUCCEEDED') return undefined;
  const output = record.output as
    | { upload?: { kind?: string }; validation?: { warnings?: Reason[] }; published?: { url?: string }; record?: { status?: string; durationMs?: number } }
    | undefined;
  const url = output?.published?.url;
  if (!url) return undefined;
  const durationMs = from === 'execution' ? executionDuration(record) : output.record?.status === 'published' ? output.record.durationMs : undefined;
  if (typeof durationMs !== 'number') return undefined;
  return {
    key,
    ...(output.upload?.kind ? { kind: output.upload.kind } : {}),
    status: 'published',
    reasons: [],
    warnings: output.validation?.warnings ?? [],
    url,
    assetVersionId: record.name,
    durationMs,
  };
}

/** How long an execution ran, once it has stopped (0 until then). */
function executionDuration(record: ExecutionRecord | undefined): number {
  return record?.stopDate ? Date.parse(record.stopDate) - Date.parse(record.startDate) : 0;
}

function withFaults(handlers: Record<string, LambdaHandler>, faults: (state: string) => Error | undefined): Record<string, LambdaHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => [
      state,
      async (event: unknown, context: Parameters<LambdaHandler>[1]) => {
        const fault = faults(state);
        if (fault) throw fault;
        return handler(event, context);
      },
    ]),
  );
}
