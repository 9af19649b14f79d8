/**
 * The post-deploy smoke test, one check per kind the pipeline publishes: a quiz, a PDF, a short
 * video (transcoded: MediaConvert on AWS, ffmpeg locally) and English captions for it, uploaded
 * under a reserved course. For each it waits for the report, then fetches what students would
 * through the CDN — on a signed stage first without a grant (403), then with one (200) — and
 * checks that it is what was uploaded: the quiz's title, the PDF's bytes, the video's master
 * playlist, a variant and its first segment, the captions' cue and the subtitle track in the
 * video's master. It removes its uploads at the end. Every step says what it checked; any
 * failure makes the whole test fail.
 */
import { DependencyUnavailableError } from '../contract/errors.js';
import type { ObjectStore } from '../ports/object-store.js';
import { reportKey, type UploadReport } from '../contract/report.js';
import { smokeCaptions, smokePdf, smokeQuiz } from '../smoke/smoke-fixtures.js';
import { parseMasterPlaylist, parseMediaPlaylist } from '../video/hls-playlist.js';
import { createHash } from 'node:crypto';

export const SMOKE_COURSE = 'lectern-smoke';
export const SMOKE_KINDS = ['quiz', 'pdf', 'video', 'captions'] as const;
export type SmokeKind = (typeof SMOKE_KINDS)[number];

export interface SmokeStep {
  step: string;
  ok: boolean;
  detail: string;
}

/** What the smoke test reads of an HTTP response (a fetch `Response` is one). */
export interface SmokeResponse {
  status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface SmokeEnvironment {
  uploads: ObjectStore;
  /** Puts the upload where educators would (S3 put; locally also runs the pipeline). */
  submit: (key: string, bytes: Uint8Array) => Promise<void>;
  fetch: (url: string, cookie?: string) => Promise<SmokeResponse>;
  /**
   * On a signed stage: a grant for a course, as a Cookie header. Then the smoke test also checks
   * that the CDN refuses each file without it (403) and serves it with it (200).
   */
  grant?: (course: string) => Promise<string>;
  /** Which kinds to check (default: every one). Captions need the video. */
  kinds?: readonly SmokeKind[];
  /** A short video (MP4, H.264 and AAC, a few seconds) to upload; needed for `video` and `captions`. */
  makeVideo?: () => Promise<Uint8Array>;
  /** How long to wait for each report. */
  timeoutMs: number;
  pollMs?: number;
  now?: () => Date;
}

interface Upload {
  kind: SmokeKind;
  key: string;
  bytes: Uint8Array;
}

export async function runSmoke(env: SmokeEnvironment): Promise<{ ok: boolean; steps: SmokeStep[] }> {
  const steps: SmokeStep[] = [];
  const record = (step: string, ok: boolean, detail: string) => {
    steps.push({ step, ok, detail });
    return ok;
  };
  const kinds = new Set(env.kinds ?? SMOKE_KINDS);
  if (kinds.has('captions')) kinds.add('video');
  const stamp = (env.now ?? (() => new Date()))().toISOString().replace(/[^0-9]/g, '').slice(0, 14);
  const lesson = `courses/${SMOKE_COURSE}/lessons/smoke`;
  const marker = `lectern smoke ${stamp}`;
  const submitted: string[] = [];
  let cookie: string | undefined;

  /** On a signed stage 403 without a grant first; then 200 (with the grant). The body, or undefined after a failed step. */
  const fetchChecked = async (kind: string, what: string, url: string): Promise<Uint8Array | undefined> => {
    if (env.grant) {
      const refused = await env.fetch(url);
      if (!record(`${kind}: ${what} refused without a grant`, refused.status === 403, `${refused.status} ${url}${refused.status === 403 ? '' : ' (expected 403: is courses/* trusting the key group?)'}`)) return undefined;
      if (!cookie) {
        cookie = await env.grant(SMOKE_COURSE);
        record('granted', true, `signed cookies for ${SMOKE_COURSE}`);
      }
    }
    const response = await env.fetch(url, cookie);
    if (!record(`${kind}: ${what} served${cookie ? ' with the grant' : ''}`, response.status === 200, `${response.status} ${url}`)) return undefined;
    return new Uint8Array(await response.arrayBuffer());
  };

  try {
    const uploads: Upload[] = [];
    if (kinds.has('quiz')) uploads.push({ kind: 'quiz', key: `${lesson}/smoke-${stamp}.quiz.yaml`, bytes: new TextEncoder().encode(smokeQuiz(marker)) });
    if (kinds.has('pdf')) uploads.push({ kind: 'pdf', key: `${lesson}/smoke-${stamp}.pdf`, bytes: smokePdf(marker) });
    if (kinds.has('video')) {
      if (!env.makeVideo) throw new Error('the video check needs a video to upload, and none can be made here');
      uploads.push({ kind: 'video', key: `${lesson}/smoke-${stamp}.mp4`, bytes: await env.makeVideo() });
    }
    // Quiz, PDF and video travel through the pipeline side by side; captions follow the video.
    await Promise.all(
      uploads.map(async (upload) => {
        submitted.push(upload.key);
        await env.submit(upload.key, upload.bytes);
      }),
    );
    for (const upload of uploads) record(`${upload.kind}: upload`, true, upload.key);
    const reports = new Map<SmokeKind, UploadReport>();
    for (const upload of uploads) {
      const report = await waitForReport(env, upload.key);
      const ok = record(`${upload.kind}: processed`, report?.status === 'published' && !!report.url, describeReport(report, env.timeoutMs));
      if (ok) reports.set(upload.kind, report!);
    }

    const quiz = reports.get('quiz');
    if (quiz) {
      const body = await fetchChecked('quiz', 'the quiz', quiz.url!);
      if (body) {
        const title = parseJson<{ title?: unknown }>(body)?.title;
        record('quiz: content', title === marker, title === marker ? 'the published quiz is the one uploaded' : `expected title "${marker}", got ${JSON.stringify(title)}`);
      }
    }

    const pdf = reports.get('pdf');
    if (pdf) {
      const body = await fetchChecked('pdf', 'the PDF', pdf.url!);
      const sent = uploads.find((u) => u.kind === 'pdf')!.bytes;
      if (body) record('pdf: content', sha256(body) === sha256(sent), sha256(body) === sha256(sent) ? `the published PDF is the one uploaded (${body.byteLength} bytes)` : `${body.byteLength} bytes that are not the ${sent.byteLength} uploaded`);
    }

    const video = reports.get('video');
    if (video) await checkVideo(video.url!, 'video', fetchChecked, record);

    if (kinds.has('captions') && video) {
      const key = `${lesson}/smoke-${stamp}.en.vtt`;
      submitted.push(key);
      await env.submit(key, new TextEncoder().encode(smokeCaptions(marker)));
      record('captions: upload', true, key);
      const report = await waitForReport(env, key);
      if (record('captions: processed', report?.status === 'published' && !!report.url, describeReport(report, env.timeoutMs))) {
        const body = await fetchChecked('captions', 'the WebVTT file', report!.url!);
        if (body) {
          const text = new TextDecoder().decode(body);
          record('captions: content', text.startsWith('WEBVTT') && text.includes(marker), text.includes(marker) ? 'the published WebVTT has the uploaded cue' : 'the published WebVTT lacks the uploaded cue');
        }
        // Students get the captions inside the video: its master now lists a subtitle track.
        const manifestUrl = `${video.url!.slice(0, video.url!.indexOf('/courses/'))}/${lesson}/manifest.json`;
        const manifest = await fetchChecked('captions', 'the lesson manifest', manifestUrl);
        const entry = manifest ? parseJson<{ assets?: Record<string, { url?: string }> }>(manifest)?.assets?.[`smoke-${stamp}.mp4`] : undefined;
        if (manifest && record('captions: in the manifest', !!entry?.url, entry?.url ?? `no entry for smoke-${stamp}.mp4 in ${manifestUrl}`)) {
          const master = await fetchChecked('captions', 'the master playlist', entry!.url!);
          if (master) {
            const subtitles = safely(() => parseMasterPlaylist(new TextDecoder().decode(master)).renditions.filter((r) => r.type === 'SUBTITLES'));
            record('captions: subtitle track', (subtitles ?? []).some((r) => r.language === 'en'), `${subtitles?.length ?? 0} subtitle rendition(s): ${(subtitles ?? []).map((r) => r.language ?? r.name).join(', ') || 'none'}`);
          }
        }
      }
    }
  } catch (error) {
    record('error', false, (error as Error).message);
  } finally {
    try {
      for (const key of submitted) {
        await env.uploads.delete(key);
        await env.uploads.delete(reportKey(key));
      }
      record('clean up', true, `removed the ${submitted.length} smoke upload(s) and their reports`);
    } catch (error) {
      record('clean up', false, (error as Error).message);
    }
  }
  return { ok: steps.every((s) => s.ok), steps };
}

type FetchChecked = (kind: string, what: string, url: string) => Promise<Uint8Array | undefined>;

/** The master playlist, its first variant and that variant's first segment, each with a 200. */
async function checkVideo(masterUrl: string, kind: string, fetchChecked: FetchChecked, record: (step: string, ok: boolean, detail: string) => boolean): Promise<void> {
  const master = await fetchChecked(kind, 'the master playlist', masterUrl);
  if (!master) return;
  const variants = safely(() => parseMasterPlaylist(new TextDecoder().decode(master)).variants);
  if (!record(`${kind}: master playlist`, !!variants && variants.length > 0, variants ? `${variants.length} variant(s)` : 'not an HLS master playlist')) return;
  const variantUrl = new URL(variants![0]!.uri, masterUrl).toString();
  const media = await fetchChecked(kind, 'a variant playlist', variantUrl);
  if (!media) return;
  const segments = safely(() => parseMediaPlaylist(new TextDecoder().decode(media)).segments);
  if (!record(`${kind}: variant playlist`, !!segments && segments.length > 0, segments ? `${segments.length} segment(s)` : 'not an HLS media playlist')) return;
  const segment = await fetchChecked(kind, 'its first segment', new URL(segments![0]!.uri, variantUrl).toString());
  if (segment) record(`${kind}: first segment`, segment.byteLength > 0, `${segment.byteLength} bytes`);
}

function describeReport(report: UploadReport | undefined, timeoutMs: number): string {
  if (!report) return `no report after ${timeoutMs} ms`;
  return `${report.status}${report.reasons.length ? `: ${report.reasons.map((r) => r.message).join('; ')}` : ''}`;
}

async function waitForReport(env: SmokeEnvironment, key: string): Promise<UploadReport | undefined> {
  const deadline = Date.now() + env.timeoutMs;
  let last: UploadReport | undefined;
  while (Date.now() < deadline) {
    const bytes = await env.uploads.get(reportKey(key)).catch((error: unknown) => {
      // A throttled or briefly unreachable bucket is asked again; anything else (access denied,
      // a wrong bucket) is what the smoke test is there to find, not a report still to come.
      if (error instanceof DependencyUnavailableError) return undefined;
      throw error;
    });
    if (bytes) {
      last = JSON.parse(new TextDecoder().decode(bytes)) as UploadReport;
      if (last.status !== 'processing') return last;
    }
    await new Promise((resolve) => setTimeout(resolve, env.pollMs ?? 2000));
  }
  return last;
}

function parseJson<T>(bytes: Uint8Array): T | undefined {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    return undefined;
  }
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
