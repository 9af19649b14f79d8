/**
 * Amazon Transcribe's local twin: runs a planned `StartTranscriptionJob` request with ffmpeg
 * (16 kHz mono WAV) and pocketsphinx (word timings), writes WebVTT subtitles of readable cues
 * (`shared/transcription/timed-words.ts`) and a transcript JSON where Transcribe would
 * (`<OutputKey><job name>.vtt` / `.json` in `OutputBucketName`), and announces the end of the job
 * with the same "Transcribe Job State Change" event, delivered to the same `transcription-events`
 * handler. Its accuracy is poor, and that is fine: it stands in for Transcribe's shape and timing,
 * as ffmpeg does for MediaConvert.
 *
 * Only English: pocketsphinx-en-us is the model Debian ships. A job in another language fails, as a
 * Transcribe job with an unsupported language would. Custom vocabularies are accepted and ignored.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ObjectStore } from '../shared/ports/object-store.js';
import { TranscriberUnavailableError, type Transcriber, type TranscriptionJobState, type VocabularyState } from '../shared/ports/transcriber.js';
import { cuesFromWords, toWebVtt, type TimedWord } from '../shared/transcription/timed-words.js';
import { TRANSCRIBE_EVENT_DETAIL_TYPE, TRANSCRIBE_EVENT_SOURCE } from '../shared/transcription/transcribe-events.js';
import type { JsonObject } from '../shared/transcription/plan-transcription.js';
import { FFMPEG_INSTALL_HINT, locateFfmpeg } from './ffmpeg-binary.js';
import { locatePocketsphinx, POCKETSPHINX_INSTALL_HINT, recognise, type Pocketsphinx } from './pocketsphinx.js';

export type TranscribeEvent = {
  version: '0';
  id: string;
  'detail-type': typeof TRANSCRIBE_EVENT_DETAIL_TYPE;
  source: typeof TRANSCRIBE_EVENT_SOURCE;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: { TranscriptionJobName: string; TranscriptionJobStatus: 'COMPLETED' | 'FAILED' };
};

export interface PocketsphinxTranscriberOptions {
  /** Bucket name → store (`s3://<bucket>/…` in the request). */
  stores: Record<string, ObjectStore>;
  /** Delivers an event to the `transcription-events` handler (EventBridge's job). */
  emit: (event: TranscribeEvent) => Promise<void>;
  ffmpeg?: string;
  /** pocketsphinx binary; default: `LECTERN_POCKETSPHINX`, else pocketsphinx_continuous / pocketsphinx on the PATH. */
  pocketsphinx?: string;
}

interface LocalJob {
  state: TranscriptionJobState;
  done: Promise<void>;
}

export class PocketsphinxTranscriber implements Transcriber {
  readonly #options: PocketsphinxTranscriberOptions;
  readonly #jobs = new Map<string, LocalJob>();
  #pocketsphinx: Pocketsphinx | undefined | null = null;
  /** Vocabularies asked for (name → phrases); pocketsphinx does not use them. */
  readonly vocabularies = new Map<string, { languageCode: string; phrases: string[] }>();
  /** Every request started, in order (tests read them). */
  readonly requests: JsonObject[] = [];

  constructor(options: PocketsphinxTranscriberOptions) {
    this.#options = options;
  }

  locate(): Pocketsphinx | undefined {
    if (this.#pocketsphinx === null) this.#pocketsphinx = locatePocketsphinx(this.#options.pocketsphinx);
    return this.#pocketsphinx;
  }

  async startJob(request: JsonObject): Promise<TranscriptionJobState> {
    const jobName = String(request.TranscriptionJobName);
    const existing = this.#jobs.get(jobName);
    if (existing) return structuredClone(existing.state);
    const ps = this.locate();
    if (!ps) throw new TranscriberUnavailableError(POCKETSPHINX_INSTALL_HINT);
    const ffmpeg = locateFfmpeg(this.#options.ffmpeg);
    if (!ffmpeg) throw new TranscriberUnavailableError(FFMPEG_INSTALL_HINT);
    this.requests.push(structuredClone(request));
    const job: LocalJob = { state: { jobName, status: 'IN_PROGRESS' }, done: Promise.resolve() };
    this.#jobs.set(jobName, job);
    // Like Transcribe, the job runs after StartTranscriptionJob has answered.
    job.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#run(job, request, ps, ffmpeg));
    return structuredClone(job.state);
  }

  async getJob(jobName: string): Promise<TranscriptionJobState | undefined> {
    const job = this.#jobs.get(jobName);
    return job ? structuredClone(job.state) : undefined;
  }

  async ensureVocabulary(name: string, languageCode: string, phrases: string[]): Promise<VocabularyState> {
    this.vocabularies.set(name, { languageCode, phrases });
    return 'READY';
  }

  /** Waits for every job started so far (and the delivery of its event). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#jobs.values()].map((job) => job.done));
  }

  async #run(job: LocalJob, request: JsonObject, ps: Pocketsphinx, ffmpeg: string): Promise<void> {
    const work = await mkdtemp(path.join(tmpdir(), 'lectern-transcribe-'));
    try {
      const language = typeof request.LanguageCode === 'string' ? request.LanguageCode : undefined;
      if (language && !/^en-/i.test(language)) {
        throw new Error(`The local transcriber (pocketsphinx-en-us) recognises English only, not ${language}.`);
      }
      const media = await this.#read(String((request.Media as { MediaFileUri?: string } | undefined)?.MediaFileUri ?? ''));
      const source = path.join(work, 'media');
      const wav = path.join(work, 'audio.wav');
      await writeFile(source, media);
      await runFfmpeg(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', source, '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav', wav]);
      const words = await recognise(ps, wav);
      const outputBucket = String(request.OutputBucketName);
      const outputKey = String(request.OutputKey ?? '');
      const store = this.#store(outputBucket);
      await store.put(`${outputKey}${job.state.jobName}.vtt`, toWebVtt(cuesFromWords(words)), { contentType: 'text/vtt' });
      await store.put(`${outputKey}${job.state.jobName}.json`, JSON.stringify(transcriptJson(job.state.jobName, words, language ?? 'en-US')), { contentType: 'application/json' });
      job.state = { jobName: job.state.jobName, status: 'COMPLETED', languageCode: language ?? 'en-US' };
    } catch (error) {
      job.state = { jobName: job.state.jobName, status: 'FAILED', failureReason: error instanceof Error ? error.message : String(error) };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    await this.#options.emit(this.#event(job));
  }

  #event(job: LocalJob): TranscribeEvent {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': TRANSCRIBE_EVENT_DETAIL_TYPE,
      source: TRANSCRIBE_EVENT_SOURCE,
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'local',
      resources: [],
      detail: { TranscriptionJobName: job.state.jobName, TranscriptionJobStatus: job.state.status === 'COMPLETED' ? 'COMPLETED' : 'FAILED' },
    };
  }

  async #read(uri: string): Promise<Uint8Array> {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!match) throw new Error(`Media ${uri} is not an s3:// URI.`);
    const bytes = await this.#store(match[1] as string).get(match[2] as string);
    if (!bytes) throw new Error(`The media ${uri} does not exist.`);
    return bytes;
  }

  #store(bucket: string): ObjectStore {
    const store = this.#options.stores[bucket];
    if (!store) throw new Error(`The local transcriber knows no bucket "${bucket}".`);
    return store;
  }
}

/** A transcript shaped like Transcribe's (`results.transcripts`, `results.items`). */
function transcriptJson(jobName: string, words: TimedWord[], languageCode: string) {
  return {
    jobName,
    status: 'COMPLETED',
    results: {
      language_code: languageCode,
      transcripts: [{ transcript: words.map((w) => w.text).join(' ') }],
      items: words.map((w) => ({ type: 'pronunciation', start_time: w.start.toFixed(3), end_time: w.end.toFixed(3), alternatives: [{ content: w.text }] })),
    },
  };
}

function runFfmpeg(ffmpeg: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg could not extract the audio (exit ${code}): ${stderr.trim()}`))));
  });
}
