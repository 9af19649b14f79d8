/**
 * VerifyOutputs: before anything is published, check that the finished job left what was planned
 * under the version's prefix — every rendition playlist, each of its segments, a master playlist
 * that parses and names every rendition, the MP4/M4A fallback, the poster and thumbnails, the
 * subtitle playlists — and that the output plays as long as the source (within
 * max(1 s, 2 %)). Then it writes the two derived files (`poster.jpg`, the chosen frame;
 * `thumbnails.vtt`, the strip as a WebVTT thumbnail track) and returns the verdict PublishAsset
 * publishes: in-place artifacts, the master playlist first (the asset's URL).
 *
 * Missing or broken outputs are a pipeline failure (`TranscodeOutputsError` → MarkFailed, ops
 * redrive); a duration that does not match is a rejection (the source's timestamps are broken),
 * and the job's outputs are removed: nothing of a rejected upload stays under a published prefix.
 */
import type { Deps } from '../runtime/deps.js';

/** What verify outputs needs (its Lambda builds just this). */
export type VerifyOutputsDeps = Pick<Deps, 'config' | 'published'>;
import { logger } from '../runtime/logger.js';
import { IMMUTABLE_CACHE_CONTROL } from '../contract/manifest.js';
import type { ClassifiedUpload, ExecutionRef, InPlaceArtifact, Validation } from '../contract/pipeline.js';
import { HlsParseError, parseMasterPlaylist, parseMediaPlaylist, resolveKey } from '../video/hls-playlist.js';
import type { PlannedOutputs } from '../video/plan-transcode.js';
import { formatDuration } from '../video/probe-verdict.js';
import { TranscodeOutputsError, type TranscodeOutcome } from '../video/transcode-outcome.js';

export interface VerifyOutputsInput extends ExecutionRef {
  upload: ClassifiedUpload;
  validation: Validation;
  transcode: TranscodeOutcome;
}

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
  jpg: 'image/jpeg',
  vtt: 'text/vtt',
  ts: 'video/mp2t',
};

export async function verifyOutputs(input: VerifyOutputsInput, deps: VerifyOutputsDeps): Promise<Validation> {
  const { upload, validation, transcode } = input;
  const expected = transcode.expected;
  if (!transcode.done || !expected) throw new TranscodeOutputsError('VerifyOutputs ran before the transcode job was COMPLETE.');
  const keys = new Set(await deps.published.list(expected.prefix));
  const problems: string[] = [];
  const need = (key: string, what: string): boolean => {
    if (keys.has(key)) return true;
    problems.push(`${what} ${key} is missing`);
    return false;
  };
  const text = async (key: string): Promise<string> => new TextDecoder().decode((await deps.published.get(key)) ?? new Uint8Array());

  // Master playlist: parses, and names every planned rendition (and subtitle track).
  if (need(expected.hls.master, 'the master playlist')) {
    try {
      const master = parseMasterPlaylist(await text(expected.hls.master));
      const named = new Set([...master.variants.map((v) => v.uri), ...master.renditions.flatMap((r) => (r.uri ? [r.uri] : []))].map((uri) => resolveKey(expected.hls.master, uri)));
      for (const r of [...expected.hls.renditions, ...expected.hls.captions]) {
        if (!named.has(r.playlist)) problems.push(`the master playlist does not name ${r.playlist}`);
      }
    } catch (error) {
      if (!(error instanceof HlsParseError)) throw error;
      problems.push(`the master playlist does not parse: ${error.message}`);
    }
  }

  // Renditions: each playlist parses, is complete, every segment exists, durations match the source.
  const durations: number[] = [];
  for (const rendition of expected.hls.renditions) {
    if (!need(rendition.playlist, `rendition ${rendition.name}`)) continue;
    try {
      const playlist = parseMediaPlaylist(await text(rendition.playlist));
      if (!playlist.endList) problems.push(`rendition ${rendition.name} has no #EXT-X-ENDLIST (incomplete)`);
      const missing = playlist.segments.map((s) => resolveKey(rendition.playlist, s.uri)).filter((key) => !keys.has(key));
      if (missing.length > 0) problems.push(`rendition ${rendition.name} lacks ${missing.length} segment(s), e.g. ${missing[0]}`);
      durations.push(playlist.duration);
    } catch (error) {
      if (!(error instanceof HlsParseError)) throw error;
      problems.push(`rendition ${rendition.name} does not parse: ${error.message}`);
    }
  }
  for (const captions of expected.hls.captions) {
    if (!need(captions.playlist, `subtitle track ${captions.name}`)) continue;
    try {
      const playlist = parseMediaPlaylist(await text(captions.playlist));
      const missing = playlist.segments.map((s) => resolveKey(captions.playlist, s.uri)).filter((key) => !keys.has(key));
      if (missing.length > 0) problems.push(`subtitle track ${captions.name} lacks ${missing.length} segment(s)`);
    } catch (error) {
      if (!(error instanceof HlsParseError)) throw error;
      problems.push(`subtitle track ${captions.name} does not parse: ${error.message}`);
    }
  }
  need(expected.file.key, expected.kind === 'video' ? 'the MP4 fallback' : 'the M4A fallback');
  const captures = (prefix: string | undefined) => (prefix ? [...keys].filter((k) => k.startsWith(prefix) && k.endsWith('.jpg')).sort() : []);
  const posters = captures(expected.poster?.prefix);
  const thumbnails = captures(expected.thumbnails?.prefix);
  if (expected.poster && posters.length === 0) problems.push(`no poster frame under ${expected.poster.prefix}`);
  if (expected.thumbnails && thumbnails.length === 0) problems.push(`no thumbnails under ${expected.thumbnails.prefix}`);

  if (problems.length > 0) {
    throw new TranscodeOutputsError(`The transcode job ${transcode.jobId ?? ''} completed, but its outputs are not usable: ${problems.join('; ')}.`);
  }

  // Duration: every rendition within max(1 s, 2 %) of the source.
  const source = expected.sourceDurationSeconds;
  const tolerance = Math.max(deps.config.video.durationToleranceSeconds, source * 0.02);
  const off = durations.find((d) => Math.abs(d - source) > tolerance);
  if (off !== undefined) {
    // Nothing of a rejected upload stays under a published prefix (the prefix is this version's own).
    await removeOutputs(deps, [...keys]);
    logger.info('duration mismatch: outputs removed', { prefix: expected.prefix, removed: keys.size });
    return {
      ...validation,
      accepted: false,
      reasons: [
        {
          code: `${upload.kind === 'audio' ? 'audio' : 'video'}.duration-mismatch`,
          message: `"${upload.fileName}" says it lasts ${formatDuration(source)}, but it plays for ${formatDuration(off)}: its timestamps are broken. Export it again (re-encode, don't just remux) and upload it again.`,
        },
      ],
      artifacts: [],
    };
  }

  // Derived files: the poster (last capture: a few seconds in, past fade-ins) and a thumbnail track.
  const derived: InPlaceArtifact[] = [];
  const posterChosen = posters[posters.length - 1];
  if (posterChosen) {
    const bytes = (await deps.published.get(posterChosen)) ?? new Uint8Array();
    const key = `${expected.prefix}poster.jpg`;
    await deps.published.put(key, bytes, { contentType: 'image/jpeg', cacheControl: IMMUTABLE_CACHE_CONTROL });
    derived.push({ name: 'poster.jpg', contentType: 'image/jpeg', size: bytes.byteLength, from: { store: 'published', key } });
  }
  if (expected.thumbnails && thumbnails.length > 0) {
    const vtt = thumbnailTrack(expected, thumbnails, source);
    const key = `${expected.prefix}thumbnails.vtt`;
    await deps.published.put(key, vtt, { contentType: 'text/vtt', cacheControl: IMMUTABLE_CACHE_CONTROL });
    derived.push({ name: 'thumbnails.vtt', contentType: 'text/vtt', size: Buffer.byteLength(vtt), from: { store: 'published', key } });
  }

  const inPlace = async (key: string): Promise<InPlaceArtifact> => {
    const head = await deps.published.head(key);
    if (!head) throw new TranscodeOutputsError(`${key} disappeared while it was verified.`);
    const extension = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
    return { name: key.slice(expected.prefix.length), contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream', size: head.size, from: { store: 'published', key } };
  };
  const artifacts: InPlaceArtifact[] = [
    await inPlace(expected.hls.master),
    await inPlace(expected.file.key),
    ...derived,
    ...(await Promise.all(expected.hls.captions.map((c) => inPlace(c.playlist)))),
  ];
  const metadata: Record<string, unknown> = {
    ...validation.metadata,
    renditions: expected.hls.renditions.map((r) => ({
      name: r.name,
      ...(r.width ? { width: r.width, height: r.height } : {}),
      ...(r.maxBitrate ? { maxBitrate: r.maxBitrate } : {}),
      ...(r.audioBitrate ? { audioBitrate: r.audioBitrate } : {}),
    })),
    outputDurationSeconds: Math.min(...durations),
    ...(thumbnails.length > 0 ? { thumbnailCount: thumbnails.length, thumbnailIntervalSeconds: expected.thumbnails?.intervalSeconds } : {}),
    ...(expected.hls.captions.length > 0 ? { captions: expected.hls.captions.map((c, i) => ({ label: c.label, ...(c.language ? { language: c.language } : {}), ...(expected.captionSources[i] ? { key: expected.captionSources[i].key } : {}) })) } : {}),
    ...(transcode.jobId ? { transcodeJobId: transcode.jobId } : {}),
  };
  logger.info('transcode outputs verified', { jobId: transcode.jobId, renditions: expected.hls.renditions.length, segments: keys.size });
  return { ...validation, accepted: true, reasons: [], metadata, version: expected.version, artifacts };
}

/** A WebVTT thumbnail track: one cue per capture, pointing at the image relative to the track. */
export function thumbnailTrack(expected: PlannedOutputs, thumbnails: string[], durationSeconds: number): string {
  const interval = expected.thumbnails?.intervalSeconds ?? 10;
  const lines = ['WEBVTT', ''];
  thumbnails.forEach((key, index) => {
    const start = index * interval;
    if (start >= durationSeconds && index > 0) return;
    const end = Math.min(durationSeconds, (index + 1) * interval);
    lines.push(`${timestamp(start)} --> ${timestamp(Math.max(end, start + 0.001))}`, key.slice(expected.prefix.length), '');
  });
  return lines.join('\n');
}

function timestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

/** Deletes a rejected job's outputs, a few at a time. */
async function removeOutputs(deps: VerifyOutputsDeps, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 8) await Promise.all(keys.slice(i, i + 8).map((key) => deps.published.delete(key)));
}
