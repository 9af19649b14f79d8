/**
 * The transcoder's local twin: runs a planned MediaConvert CreateJob request with ffmpeg (the
 * Debian package) and announces it with the same "MediaConvert Job State Change" events
 * MediaConvert sends — PROGRESSING, STATUS_UPDATE with jobProgress, COMPLETE with
 * outputGroupDetails, ERROR with an error code — delivered to the same `transcode-events` handler.
 *
 * It reads the job settings, not a private plan, and supports the subset `planTranscode` uses:
 * - HLS groups: H.264 renditions (Width/Height, QVBR → CRF and MaxBitrate → maxrate, GOP in
 *   seconds → forced key frames), AAC muxed in; audio-only renditions; WebVTT subtitle outputs
 *   from sidecar caption inputs; segments of SegmentLength; a master playlist written like
 *   MediaConvert's (`<name>.m3u8` beside `<name><modifier>.m3u8`);
 * - file groups: MP4 (H.264/AAC) or M4A (AAC), and FRAME_CAPTURE outputs
 *   (`<name>.<7 digits>.jpg`, one every FramerateDenominator/FramerateNumerator s, at most
 *   MaxCaptures).
 * Inputs and outputs go through the object-store port (`s3://<bucket>/<key>` → the store named
 * `<bucket>`), so the published tree is what MediaConvert would leave in S3.
 *
 * This file is the job lifecycle (jobs, events, uploads); the settings → ffmpeg arguments
 * compiler is `ffmpeg-command.ts`, the master and subtitle playlists `ffmpeg-hls.ts`. With
 * `jobsDir`, each job's state and its runner (this process) are kept on disk, so another process
 * on the same state directory can ask about it — and a job whose runner has died is unknown to
 * GetJob, as a job MediaConvert lost would be: SubmitTranscode and PollTranscode mark it LOST and
 * start a new one.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { logger } from '../shared/runtime/logger.js';
import type { ObjectStore } from '../shared/ports/object-store.js';
import { TranscoderUnavailableError, type JobState, type SubmittedJob, type Transcoder } from '../shared/ports/transcoder.js';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, summariseOutputGroups, type JobStatus } from '../shared/video/mediaconvert-events.js';
import type { JsonObject } from '../shared/video/mediaconvert-settings.js';
import { FFMPEG_INSTALL_HINT, locateFfmpeg, probeDuration, probeFrameRate } from './ffmpeg-binary.js';
import { buildCommand, type CommandPlan } from './ffmpeg-command.js';
import { playlistDuration, writeHlsExtras } from './ffmpeg-hls.js';
import { processAlive } from './process-alive.js';
import { InternalError } from '../shared/contract/errors.js';
import { writeAsideSync } from '../shared/util/in-folder.js';


/** A "MediaConvert Job State Change" event, as EventBridge delivers it. */
export type MediaConvertEvent = {
  version: '0';
  id: string;
  'detail-type': typeof EVENT_DETAIL_TYPE;
  source: typeof EVENT_SOURCE;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: JsonObject;
};

export interface FfmpegTranscoderOptions {
  /** Bucket name → store (`s3://<bucket>/…` in the job settings). */
  stores: Record<string, ObjectStore>;
  /** Delivers an event to the `transcode-events` handler (EventBridge's job). */
  emit: (event: MediaConvertEvent) => Promise<void>;
  /** ffmpeg binary; default: `LECTERN_FFMPEG`, else `ffmpeg` on the PATH. */
  ffmpeg?: string;
  /** Minimum milliseconds between two STATUS_UPDATE events (MediaConvert: StatusUpdateInterval). */
  statusIntervalMs?: number;
  /** x264 preset: speed against size; `veryfast` keeps local runs short. */
  preset?: string;
  region?: string;
  account?: string;
  /** Where each job's state and runner are recorded (`<state dir>/transcoder`); none: in memory only. */
  jobsDir?: string;
}

/** A job as recorded on disk: its state and the process running it. */
interface JobRecord {
  state: JobState;
  runner: { pid: number; host: string };
}

interface LocalJob {
  state: JobState;
  request: JsonObject;
  queue: string;
  createdAt: Date;
  done: Promise<void>;
  injectedFailure?: { errorCode: number; errorMessage: string };
}

/** What an event interceptor returns: the events to deliver now (none, this one, several). */
export type EventInterceptor = (event: MediaConvertEvent) => MediaConvertEvent[];

export class FfmpegTranscoder implements Transcoder {
  readonly #options: FfmpegTranscoderOptions;
  readonly #jobs = new Map<string, LocalJob>();
  readonly #byToken = new Map<string, string>();
  #ffmpegBinary: string | undefined | null = null;
  /**
   * Test hook, standing in for EventBridge misbehaving: sees every event before delivery and
   * returns what to deliver (drop: `[]`, duplicate: `[e, e]`, hold back and `deliver` later).
   */
  intercept: EventInterceptor | undefined;
  /** Every event emitted, in order (delivered or not). */
  readonly events: MediaConvertEvent[] = [];
  /** Test hook: the next jobs end in ERROR with these codes instead of running (job state too). */
  readonly failNextJobs: Array<{ errorCode: number; errorMessage: string }> = [];

  constructor(options: FfmpegTranscoderOptions) {
    this.#options = options;
  }

  /** The ffmpeg binary, or undefined when there is none. */
  ffmpegPath(): string | undefined {
    if (this.#ffmpegBinary === null) this.#ffmpegBinary = locateFfmpeg(this.#options.ffmpeg);
    return this.#ffmpegBinary;
  }

  available(): boolean {
    return this.ffmpegPath() !== undefined;
  }

  async createJob(request: JsonObject): Promise<SubmittedJob> {
    const ffmpeg = this.ffmpegPath();
    if (!ffmpeg) throw new TranscoderUnavailableError(FFMPEG_INSTALL_HINT);
    const token = typeof request.ClientRequestToken === 'string' ? request.ClientRequestToken : undefined;
    const existing = token ? this.#byToken.get(token) : undefined;
    if (existing) return { jobId: existing, status: (this.#jobs.get(existing) as LocalJob).state.status };
    if (!Array.isArray(request.Settings?.Inputs) || request.Settings.Inputs.length !== 1 || !Array.isArray(request.Settings?.OutputGroups)) {
      throw new InternalError('The local transcoder runs jobs with exactly one input and a list of output groups.');
    }
    const jobId = `${Date.now()}-${randomBytes(3).toString('hex')}`;
    const queue = typeof request.Queue === 'string' ? request.Queue : `arn:aws:mediaconvert:${this.#region}:${this.#account}:queues/Default`;
    const job: LocalJob = {
      state: { jobId, status: 'SUBMITTED', progress: 0, userMetadata: { ...(request.UserMetadata ?? {}) } },
      request,
      queue,
      createdAt: new Date(),
      done: Promise.resolve(),
      ...(this.failNextJobs.length > 0 ? { injectedFailure: this.failNextJobs.shift() } : {}),
    };
    this.#jobs.set(jobId, job);
    this.#persist(job);
    if (token) this.#byToken.set(token, jobId);
    // Like MediaConvert, the job starts after CreateJob has answered.
    job.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#run(job, ffmpeg));
    return { jobId, status: 'SUBMITTED' };
  }

  /** The job's state; undefined when no process knows it, or its runner died before it ended. */
  async getJob(jobId: string): Promise<JobState | undefined> {
    const job = this.#jobs.get(jobId);
    if (job) return structuredClone(job.state);
    const record = this.#readRecord(jobId);
    if (!record) return undefined;
    const ended = ['COMPLETE', 'ERROR', 'CANCELED'].includes(record.state.status);
    const runnerAlive = record.runner.host === hostname() && processAlive(record.runner.pid);
    return ended || runnerAlive ? record.state : undefined;
  }

  #readRecord(jobId: string): JobRecord | undefined {
    if (!this.#options.jobsDir || !/^[\w-]+$/.test(jobId)) return undefined;
    try {
      return JSON.parse(readFileSync(path.join(this.#options.jobsDir, `${jobId}.json`), 'utf8')) as JobRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Delivers an event now (one an interceptor held back). */
  async deliver(event: MediaConvertEvent): Promise<void> {
    await this.#options.emit(event);
  }

  /** Waits for every job started so far (and the delivery of its events). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#jobs.values()].map((job) => job.done));
  }

  get #region(): string {
    return this.#options.region ?? 'local';
  }

  get #account(): string {
    return this.#options.account ?? '000000000000';
  }

  async #run(job: LocalJob, ffmpeg: string): Promise<void> {
    const work = await mkdtemp(path.join(tmpdir(), 'lectern-ffmpeg-'));
    // Like MediaConvert's StatusUpdateInterval: a STATUS_UPDATE at a fixed pace while the job runs,
    // whatever the progress (these are the waiting task's heartbeats).
    let phase = 'PROBING';
    let updates = Promise.resolve();
    const ticker = setInterval(() => {
      updates = updates.then(() => (job.state.status === 'PROGRESSING' ? this.#event(job, 'STATUS_UPDATE', statusDetail(phase, job.state.progress ?? 0)) : undefined));
    }, this.#options.statusIntervalMs ?? 1000);
    const end = async () => {
      clearInterval(ticker);
      await updates;
    };
    try {
      this.#setState(job, { status: 'PROGRESSING' });
      await this.#event(job, 'PROGRESSING', {});
      if (job.injectedFailure) return await this.#fail(job, job.injectedFailure.errorCode, job.injectedFailure.errorMessage, end);
      const settings = job.request.Settings as JsonObject;
      const input = settings.Inputs[0] as JsonObject;
      const inputFile = await this.#download(input.FileInput as string, work, 'input');
      if (!inputFile) return await this.#fail(job, 1404, `Unable to open input file [${input.FileInput}]: [The specified key does not exist.]`, end);
      const duration = probeDuration(ffmpeg, inputFile);
      if (duration === undefined) {
        return await this.#fail(job, 1010, `Unable to open input file [${input.FileInput}]: [Failed probe/open: [No parser found for container]]`, end);
      }
      const captions = await this.#downloadCaptions(input, work);
      const frameRate = probeFrameRate(ffmpeg, inputFile);
      const plan = buildCommand(settings, inputFile, path.join(work, 'out'), { preset: this.#options.preset ?? 'veryfast', duration, ...(frameRate ? { frameRate } : {}) });
      for (const dir of plan.dirs) await mkdir(dir, { recursive: true });
      phase = 'TRANSCODING';
      const result = await this.#ffmpeg(ffmpeg, plan.args, duration, job);
      if (result.code !== 0) {
        const reason = lastErrorLine(result.stderr);
        const code = /Invalid data|moov atom|could not find codec|Error while decoding|does not contain any stream|Invalid argument/i.test(result.stderr) ? 1010 : 1999;
        return await this.#fail(job, code, `Transcoding failed: ${reason}`, end);
      }
      phase = 'UPLOADING';
      for (const group of plan.hlsGroups) await writeHlsExtras(group, captions, duration);
      const outputGroups = await this.#upload(plan);
      await end();
      this.#setState(job, { status: 'COMPLETE', progress: 100, outputGroups: summariseOutputGroups(outputGroups) });
      await this.#event(job, 'COMPLETE', { outputGroupDetails: outputGroups, warnings: [] });
    } catch (error) {
      await this.#fail(job, 1999, `Internal error in the local transcoder: ${(error as Error).message}`, end);
    } finally {
      await end();
      await rm(work, { recursive: true, force: true });
    }
  }

  async #fail(job: LocalJob, errorCode: number, errorMessage: string, end?: () => Promise<void>): Promise<void> {
    await end?.();
    this.#setState(job, { status: 'ERROR', errorCode, errorMessage });
    await this.#event(job, 'ERROR', { errorCode, errorMessage });
  }

  #setState(job: LocalJob, patch: Partial<JobState>): void {
    const statusChanged = patch.status !== undefined && patch.status !== job.state.status;
    job.state = { ...job.state, ...patch };
    if (statusChanged) this.#persist(job);
  }

  #persist(job: LocalJob): void {
    const dir = this.#options.jobsDir;
    if (!dir) return;
    // Synchronous and small: the record is on disk before the event announcing the change is sent.
    // Written aside and renamed into place: another process (a replay, recovery) reading it while
    // it is written sees the record before or after, never half of it.
    const record: JobRecord = { state: job.state, runner: { pid: process.pid, host: hostname() } };
    writeAsideSync(path.join(dir, `${job.state.jobId}.json`), JSON.stringify(record));
  }

  async #event(job: LocalJob, status: string, detail: JsonObject): Promise<void> {
    const now = new Date();
    const event: MediaConvertEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': EVENT_DETAIL_TYPE,
      source: EVENT_SOURCE,
      account: this.#account,
      time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.#region,
      resources: [`arn:aws:mediaconvert:${this.#region}:${this.#account}:jobs/${job.state.jobId}`],
      detail: {
        timestamp: now.getTime(),
        accountId: this.#account,
        queue: job.queue,
        jobId: job.state.jobId,
        status,
        userMetadata: job.state.userMetadata ?? {},
        ...detail,
      },
    };
    this.events.push(event);
    const deliveries = this.intercept ? this.intercept(event) : [event];
    for (const delivery of deliveries) {
      try {
        await this.#options.emit(delivery);
      } catch (error) {
        // EventBridge retries failed deliveries and eventually drops them; PollTranscode covers it.
        logger.warn('MediaConvert event not delivered to transcodeEvents (dropped, as EventBridge would after its retries)', {
          jobId: job.state.jobId,
          status,
          errorMessage: (error as Error).message,
        });
      }
    }
  }

  async #download(url: string, dir: string, base: string): Promise<string | undefined> {
    const { bucket, key } = parseS3Url(url);
    const store = this.#options.stores[bucket];
    if (!store) throw new InternalError(`The local transcoder has no bucket ${bucket}.`);
    const bytes = await store.get(key);
    if (!bytes) return undefined;
    const file = path.join(dir, `${base}${path.extname(key).toLowerCase()}`);
    await writeFile(file, bytes);
    return file;
  }

  async #downloadCaptions(input: JsonObject, dir: string): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    let index = 0;
    for (const [name, selector] of Object.entries((input.CaptionSelectors ?? {}) as Record<string, JsonObject>)) {
      const source = selector.SourceSettings?.FileSourceSettings?.SourceFile as string | undefined;
      if (!source) continue;
      const file = await this.#download(source, dir, `captions-${index++}`);
      if (!file) throw new InternalError(`Caption file ${source} does not exist.`);
      files.set(name, file);
    }
    return files;
  }

  async #ffmpeg(ffmpeg: string, args: string[], duration: number, job: LocalJob): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats', '-y', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let buffer = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-20_000);
      });
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          // `-progress`: out_time_us of the output, against the source's duration
          const match = /^out_time_us=(\d+)/.exec(line);
          if (!match || duration <= 0) continue;
          const percent = Math.min(99, Math.floor((Number(match[1]) / 1e6 / duration) * 100));
          if (percent > (job.state.progress ?? 0)) this.#setState(job, { progress: percent });
        }
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    });
  }

  /** Puts every output where the job settings' destinations say, and describes it like MediaConvert. */
  async #upload(plan: CommandPlan): Promise<JsonObject[]> {
    const groups: JsonObject[] = [];
    for (const group of plan.groups) {
      const { bucket, key: destination } = parseS3Url(group.destination);
      const store = this.#options.stores[bucket];
      if (!store) throw new InternalError(`The local transcoder has no bucket ${bucket}.`);
      const keyPrefix = destination.slice(0, destination.lastIndexOf('/') + 1);
      const written: string[] = [];
      for (const file of (await readdir(group.dir)).sort()) {
        const bytes = await readFile(path.join(group.dir, file));
        await store.put(`${keyPrefix}${file}`, bytes, { contentType: contentType(file), cacheControl: 'public, max-age=31536000, immutable' });
        written.push(file);
      }
      const url = (file: string) => `s3://${bucket}/${keyPrefix}${file}`;
      if (group.type === 'HLS') {
        groups.push({
          outputDetails: await Promise.all(
            group.outputs.map(async (o) => ({
              outputFilePaths: [url(o.file)],
              durationInMs: Math.round((await playlistDuration(path.join(group.dir, o.file))) * 1000),
              ...(o.width ? { videoDetails: { widthInPx: o.width, heightInPx: o.height } } : {}),
            })),
          ),
          type: 'HLS_GROUP',
          playlistFilePaths: [url(`${group.base}.m3u8`)],
        });
      } else {
        groups.push({
          outputDetails: group.outputs.map((o) => {
            const files = written.filter((f) => (o.pattern ? o.pattern.test(f) : f === o.file)).sort();
            return {
              outputFilePaths: [url(files[files.length - 1] ?? o.file)],
              durationInMs: Math.round(plan.duration * 1000),
              ...(o.width ? { videoDetails: { widthInPx: o.width, heightInPx: o.height } } : {}),
            };
          }),
          type: 'FILE_GROUP',
        });
      }
    }
    return groups;
  }
}

/** A STATUS_UPDATE's detail, shaped like MediaConvert's. */
function statusDetail(phase: string, percent: number): JsonObject {
  const order = ['PROBING', 'TRANSCODING', 'UPLOADING'];
  const at = order.indexOf(phase);
  return {
    framesDecoded: 0,
    jobProgress: {
      phaseProgress: Object.fromEntries(
        order.map((p, i) => [p, i < at ? { status: 'COMPLETE', percentComplete: 100 } : i === at ? { status: 'PROGRESSING', percentComplete: p === 'TRANSCODING' ? percent : 0 } : { status: 'PENDING', percentComplete: 0 }]),
      ),
      jobPercentComplete: percent,
      currentPhase: phase,
      retryCount: 0,
    },
  };
}


function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(url);
  if (!match) throw new InternalError(`Not an s3:// URL: ${url}`);
  return { bucket: match[1] as string, key: match[2] as string };
}

function contentType(file: string): string {
  const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return (
    { m3u8: 'application/vnd.apple.mpegurl', ts: 'video/mp2t', mp4: 'video/mp4', m4a: 'audio/mp4', jpg: 'image/jpeg', vtt: 'text/vtt' } as Record<string, string>
  )[extension] ?? 'application/octet-stream';
}

function lastErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? 'ffmpeg failed without a message';
}


export type { JobStatus };