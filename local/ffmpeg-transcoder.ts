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
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ObjectStore } from '../shared/ports/object-store.js';
import { TranscoderUnavailableError, type JobState, type SubmittedJob, type Transcoder } from '../shared/ports/transcoder.js';
import { parseMediaPlaylist, writeMasterPlaylist, type HlsRendition, type HlsVariant } from '../shared/video/hls-playlist.js';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, summariseOutputGroups, type JobStatus } from '../shared/video/mediaconvert-events.js';
import type { JsonObject } from '../shared/video/plan-transcode.js';

export const FFMPEG_INSTALL_HINT =
  'The local transcoder (the twin of AWS MediaConvert) needs ffmpeg, which is not installed here. Install it — `apt-get install ffmpeg` on Debian/Ubuntu, `brew install ffmpeg` on macOS — or point LECTERN_FFMPEG at an ffmpeg binary, then run again.';

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
      throw new Error('The local transcoder runs jobs with exactly one input and a list of output groups.');
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
    if (token) this.#byToken.set(token, jobId);
    // Like MediaConvert, the job starts after CreateJob has answered.
    job.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#run(job, ffmpeg));
    return { jobId, status: 'SUBMITTED' };
  }

  async getJob(jobId: string): Promise<JobState | undefined> {
    const job = this.#jobs.get(jobId);
    return job ? structuredClone(job.state) : undefined;
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
      const plan = buildCommand(settings, inputFile, path.join(work, 'out'), { preset: this.#options.preset ?? 'veryfast', duration });
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
    job.state = { ...job.state, ...patch };
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
      } catch {
        // EventBridge retries failed deliveries and eventually drops them; PollTranscode covers it.
      }
    }
  }

  async #download(url: string, dir: string, base: string): Promise<string | undefined> {
    const { bucket, key } = parseS3Url(url);
    const store = this.#options.stores[bucket];
    if (!store) throw new Error(`The local transcoder has no bucket ${bucket}.`);
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
      if (!file) throw new Error(`Caption file ${source} does not exist.`);
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
      if (!store) throw new Error(`The local transcoder has no bucket ${bucket}.`);
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

// ── the ffmpeg command ──────────────────────────────────────────────────────────────────────

interface PlannedFile {
  file: string;
  pattern?: RegExp;
  width?: number;
  height?: number;
  bandwidth?: number;
  codecs?: string;
  captions?: { selector: string; label: string; language?: string };
  audioOnly?: boolean;
}

interface PlannedGroup {
  type: 'HLS' | 'FILE';
  destination: string;
  dir: string;
  base: string;
  segmentSeconds: number;
  outputs: PlannedFile[];
}

interface CommandPlan {
  args: string[];
  dirs: string[];
  groups: PlannedGroup[];
  hlsGroups: PlannedGroup[];
  duration: number;
}

/** MediaConvert QVBR quality 1–10 → x264 CRF (7 ≈ 23, x264's default; 10 ≈ 17; 1 ≈ 35). */
export function qvbrToCrf(quality: number): number {
  return Math.max(0, Math.min(51, 37 - 2 * quality));
}

/** Frame-capture Quality 1–100 → MJPEG qscale 2 (best) … 31. */
function jpegQuality(quality: number): number {
  return Math.round(2 + ((100 - Math.max(1, Math.min(100, quality))) * 29) / 99);
}

export function buildCommand(settings: JsonObject, inputFile: string, outDir: string, options: { preset: string; duration: number }): CommandPlan {
  const args = ['-i', inputFile];
  const groups: PlannedGroup[] = [];
  const input = settings.Inputs[0] as JsonObject;
  const hasAudioSelector = Object.keys((input.AudioSelectors ?? {}) as object).length > 0;
  (settings.OutputGroups as JsonObject[]).forEach((group, groupIndex) => {
    const type = group.OutputGroupSettings?.Type as string;
    const hls = type === 'HLS_GROUP_SETTINGS';
    if (!hls && type !== 'FILE_GROUP_SETTINGS') throw new Error(`The local transcoder does not support ${type} output groups.`);
    const destination = (hls ? group.OutputGroupSettings.HlsGroupSettings?.Destination : group.OutputGroupSettings.FileGroupSettings?.Destination) as string;
    const base = destination.slice(destination.lastIndexOf('/') + 1) || 'output';
    const dir = path.join(outDir, `group-${groupIndex}`);
    const segmentSeconds = Number(group.OutputGroupSettings.HlsGroupSettings?.SegmentLength ?? 10);
    const planned: PlannedGroup = { type: hls ? 'HLS' : 'FILE', destination, dir, base, segmentSeconds, outputs: [] };
    for (const output of group.Outputs as JsonObject[]) {
      const name = `${base}${output.NameModifier ?? ''}`;
      const video = output.VideoDescription as JsonObject | undefined;
      const codec = video?.CodecSettings?.Codec as string | undefined;
      const audio = (output.AudioDescriptions as JsonObject[] | undefined)?.[0];
      const captions = (output.CaptionDescriptions as JsonObject[] | undefined)?.[0];
      if (captions) {
        // Subtitle renditions are written after the encode, from the sidecar caption file.
        planned.outputs.push({
          file: `${name}.m3u8`,
          captions: {
            selector: captions.CaptionSelectorName as string,
            label: (captions.LanguageDescription as string | undefined) ?? 'Captions',
            ...(captions.CustomLanguageCode ? { language: captions.CustomLanguageCode as string } : {}),
          },
        });
        continue;
      }
      if (codec === 'FRAME_CAPTURE') {
        const fc = video?.CodecSettings.FrameCaptureSettings as JsonObject;
        const every = Number(fc.FramerateDenominator ?? 1) / Number(fc.FramerateNumerator ?? 1);
        args.push(
          '-map', '0:v:0',
          '-vf', `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${every})',scale=${video?.Width}:${video?.Height},setsar=1`,
          '-fps_mode', 'vfr',
          '-frames:v', String(fc.MaxCaptures ?? 1),
          '-pix_fmt', 'yuvj420p',
          '-q:v', String(jpegQuality(Number(fc.Quality ?? 80))),
          '-start_number', '0',
          '-f', 'image2',
          path.join(dir, `${name}.%07d.jpg`),
        );
        planned.outputs.push({ file: `${name}.0000000.jpg`, pattern: new RegExp(`^${escapeRegExp(name)}\\.\\d{7}\\.jpg$`), width: video?.Width, height: video?.Height });
        continue;
      }
      const encode: string[] = [];
      let codecs: string[] = [];
      let bandwidth = 0;
      if (video) {
        if (codec !== 'H_264') throw new Error(`The local transcoder does not support ${codec} video.`);
        const h264 = video.CodecSettings.H264Settings as JsonObject;
        const gop = h264.GopSizeUnits === 'SECONDS' ? Number(h264.GopSize ?? 2) : 2;
        const profile = h264.CodecProfile === 'MAIN' ? 'main' : h264.CodecProfile === 'BASELINE' ? 'baseline' : 'high';
        encode.push(
          '-map', '0:v:0',
          '-vf', `scale=${video.Width}:${video.Height},setsar=1`,
          '-c:v', 'libx264',
          '-preset', options.preset,
          '-profile:v', profile,
          '-pix_fmt', 'yuv420p',
          '-force_key_frames', `expr:gte(t,n_forced*${gop})`,
          '-sc_threshold', '0',
        );
        if (h264.RateControlMode === 'QVBR') {
          const max = Number(h264.MaxBitrate ?? 5_000_000);
          encode.push('-crf', String(qvbrToCrf(Number(h264.QvbrSettings?.QvbrQualityLevel ?? 7))), '-maxrate', String(max), '-bufsize', String(max * 2));
          bandwidth += max;
        } else {
          const bitrate = Number(h264.Bitrate ?? h264.MaxBitrate ?? 5_000_000);
          encode.push('-b:v', String(bitrate));
          bandwidth += bitrate;
        }
        codecs.push(profile === 'main' ? 'avc1.4d401f' : profile === 'baseline' ? 'avc1.42e01e' : 'avc1.640028');
      } else {
        encode.push('-vn');
      }
      if (audio && hasAudioSelector) {
        const aac = audio.CodecSettings?.AacSettings as JsonObject;
        if (audio.CodecSettings?.Codec !== 'AAC') throw new Error(`The local transcoder does not support ${audio.CodecSettings?.Codec} audio.`);
        encode.push(
          '-map', '0:a:0',
          '-c:a', 'aac',
          '-b:a', String(aac.Bitrate ?? 96000),
          '-ar', String(aac.SampleRate ?? 48000),
          '-ac', aac.CodingMode === 'CODING_MODE_1_0' ? '1' : '2',
        );
        bandwidth += Number(aac.Bitrate ?? 96000);
        codecs.push('mp4a.40.2');
      } else {
        encode.push('-an');
      }
      if (!video && !(audio && hasAudioSelector)) throw new Error(`Output ${name} has neither video nor audio.`);
      if (hls) {
        encode.push(
          '-f', 'hls',
          '-hls_time', String(segmentSeconds),
          '-hls_playlist_type', 'vod',
          '-hls_flags', 'independent_segments',
          '-start_number', '1',
          '-hls_segment_filename', path.join(dir, `${name}_%05d.ts`),
          path.join(dir, `${name}.m3u8`),
        );
        planned.outputs.push({ file: `${name}.m3u8`, width: video?.Width, height: video?.Height, bandwidth, codecs: codecs.join(','), audioOnly: !video });
      } else {
        const extension = (output.Extension as string | undefined) ?? (video ? 'mp4' : 'm4a');
        encode.push('-movflags', '+faststart', '-f', 'mp4', path.join(dir, `${name}.${extension}`));
        planned.outputs.push({ file: `${name}.${extension}`, width: video?.Width, height: video?.Height });
      }
      codecs = [];
      args.push(...encode);
    }
    groups.push(planned);
  });
  return {
    args,
    dirs: groups.map((g) => g.dir),
    groups,
    hlsGroups: groups.filter((g) => g.type === 'HLS'),
    duration: options.duration,
  };
}

/** The master playlist (and subtitle playlists) of an HLS group, as MediaConvert writes them. */
async function writeHlsExtras(group: PlannedGroup, captions: Map<string, string>, duration: number): Promise<void> {
  const renditions: HlsRendition[] = [];
  for (const output of group.outputs.filter((o) => o.captions)) {
    const c = output.captions as NonNullable<PlannedFile['captions']>;
    const source = captions.get(c.selector);
    if (!source) throw new Error(`No caption file for ${c.selector}.`);
    const stem = output.file.replace(/\.m3u8$/, '');
    const vtt = await toWebVtt(source);
    // TS segments start at PTS 1.4 s (ffmpeg's mpegts default): map cue time 0 to it.
    const body = vtt.replace(/^WEBVTT[^\n]*\n/, 'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n');
    await writeFile(path.join(group.dir, `${stem}_00001.vtt`), body);
    const target = Math.max(1, Math.ceil(duration));
    await writeFile(
      path.join(group.dir, output.file),
      `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:${target}\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:${duration.toFixed(3)},\n${stem}_00001.vtt\n#EXT-X-ENDLIST\n`,
    );
    renditions.push({ type: 'SUBTITLES', groupId: 'subs', name: c.label, ...(c.language ? { language: c.language } : {}), uri: output.file, default: renditions.length === 0, autoselect: true });
  }
  const variants: HlsVariant[] = [];
  for (const output of group.outputs.filter((o) => !o.captions)) {
    const peak = await peakBandwidth(group.dir, output.file);
    variants.push({
      uri: output.file,
      bandwidth: Math.max(peak, 1),
      averageBandwidth: Math.max(1, Math.round(await averageBandwidth(group.dir, output.file))),
      ...(output.codecs ? { codecs: output.codecs } : {}),
      ...(output.width && output.height ? { resolution: { width: output.width, height: output.height } } : {}),
      ...(renditions.length > 0 ? { subtitles: 'subs' } : {}),
    });
  }
  variants.sort((a, b) => b.bandwidth - a.bandwidth);
  await writeFile(path.join(group.dir, `${group.base}.m3u8`), writeMasterPlaylist({ version: 3, variants, renditions }));
}

async function segmentStats(dir: string, playlistFile: string): Promise<Array<{ bits: number; seconds: number }>> {
  const playlist = parseMediaPlaylist(await readFile(path.join(dir, playlistFile), 'utf8'));
  return Promise.all(playlist.segments.map(async (s) => ({ bits: (await stat(path.join(dir, s.uri))).size * 8, seconds: Math.max(s.duration, 0.001) })));
}

async function peakBandwidth(dir: string, playlistFile: string): Promise<number> {
  const stats = await segmentStats(dir, playlistFile);
  return Math.round(Math.max(...stats.map((s) => s.bits / s.seconds)));
}

async function averageBandwidth(dir: string, playlistFile: string): Promise<number> {
  const stats = await segmentStats(dir, playlistFile);
  return stats.reduce((n, s) => n + s.bits, 0) / stats.reduce((n, s) => n + s.seconds, 0);
}

async function playlistDuration(file: string): Promise<number> {
  return parseMediaPlaylist(await readFile(file, 'utf8')).duration;
}

async function toWebVtt(file: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  if (/\.srt$/i.test(file)) {
    // SRT → WebVTT: a header, and decimal points in the timings.
    return `WEBVTT\n\n${text.replace(/\r\n/g, '\n').replace(/(\d{2}:\d{2}:\d{2}),(\d{3})/g, '$1.$2')}`;
  }
  return text.replace(/\r\n/g, '\n');
}

/** Duration of a media file in seconds (ffprobe beside ffmpeg), or undefined when unreadable. */
function probeDuration(ffmpeg: string, file: string): number | undefined {
  const ffprobe = path.join(path.dirname(ffmpeg), 'ffprobe');
  const result = spawnSync(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file], { encoding: 'utf8' });
  if (!result.error) {
    const seconds = Number.parseFloat(result.stdout);
    return result.status === 0 && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  }
  // No ffprobe beside ffmpeg: read the duration ffmpeg prints for its input.
  const info = spawnSync(ffmpeg, ['-hide_banner', '-i', file], { encoding: 'utf8' });
  const match = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(info.stderr ?? '');
  if (!match) return undefined;
  const seconds = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  return seconds > 0 ? seconds : undefined;
}

/**
 * ffmpeg: the binary named (option, else `LECTERN_FFMPEG`) — only that one —, or the first
 * `ffmpeg` on the PATH that answers `-version`.
 */
export function locateFfmpeg(explicit?: string): string | undefined {
  const named = explicit ?? process.env.LECTERN_FFMPEG;
  const candidates = named ? [named] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'ffmpeg'));
  for (const candidate of [...new Set(candidates)]) {
    const result = spawnSync(candidate, ['-hide_banner', '-version'], { encoding: 'utf8' });
    if (result.status === 0 && /ffmpeg version/.test(result.stdout)) return candidate;
  }
  return undefined;
}

function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(url);
  if (!match) throw new Error(`Not an s3:// URL: ${url}`);
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type { JobStatus };
