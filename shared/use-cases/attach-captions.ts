/**
 * Captions join their video whenever they arrive: attach, replace or remove WebVTT subtitle
 * renditions on the master playlist of the lesson's current video, without transcoding it again.
 *
 * The video's transcoded master (`hls/master.m3u8` under its immutable version prefix) is never
 * changed: a captioned master is a new, content-addressed file beside it
 * (`hls/master.captions-<set>.m3u8`), with one single-segment WebVTT playlist per caption file
 * (`hls/captions-<file>.m3u8` + `.vtt`, its cue time 0 mapped onto the video's first
 * presentation time stamp). The manifest entry then points at that master: the URL students load,
 * its outputs and `metadata.captions`. The same on AWS — MediaConvert is not needed to add a
 * WebVTT rendition to a master.
 *
 * `syncVideoCaptions` is what PublishAsset calls inside its manifest update, whichever of video and
 * captions arrives last; `setVideoCaptions` sets an explicit list (any producer of WebVTT files).
 */
import { sha256Hex } from '../contract/asset-version.js';
import type { Deps } from '../runtime/deps.js';
import { IMMUTABLE_CACHE_CONTROL, type LessonManifest, type ManifestEntry } from '../contract/manifest.js';
import { captionedMaster, firstPts, subtitlePlaylist, withTimestampMap, type SubtitleTrack } from '../video/captioned-master.js';
import { parseMasterPlaylist, parseMediaPlaylist, resolveKey } from '../video/hls-playlist.js';
import { captionsForVideo } from '../video/lesson-captions.js';
import { TranscodeOutputsError } from '../video/transcode-outcome.js';
import type { CaptionSource } from '../video/plan-transcode.js';

/** What attaching captions needs: the published bucket (read the video's master, write playlists). */
export type AttachCaptionsDeps = Pick<Deps, 'published'>;

/** A caption track as recorded in a video's `metadata.captions`. */
export interface AttachedCaptions {
  label: string;
  language?: string;
  /** Published key of the WebVTT file (the captions asset's output). */
  key: string;
}

const BASE_MASTER = 'hls/master.m3u8';
const HLS_TYPE = 'application/vnd.apple.mpegurl';
/** How much of the first segment is read for its first time stamp (PES headers come early). */
const PTS_READ_BYTES = 188 * 1024;

/** The video stem whose captions an entry changes: a captions file's video, or the video itself. */
export function captionedStem(fileName: string, entry: ManifestEntry): string | undefined {
  if (entry.kind === 'captions') return typeof entry.metadata?.videoStem === 'string' ? entry.metadata.videoStem : undefined;
  if (entry.kind === 'video') return stemOf(fileName);
  return undefined;
}

/**
 * The manifest with every current video of `videoStem` carrying exactly the lesson's current
 * captions for it (`captionsForVideo`). Entries already in step are returned as they are.
 */
export async function syncVideoCaptions(deps: AttachCaptionsDeps, manifest: LessonManifest, videoStem: string): Promise<LessonManifest> {
  const wanted = captionsForVideo(manifest, videoStem, deps.published.bucket);
  const assets = { ...manifest.assets };
  for (const [fileName, entry] of Object.entries(manifest.assets)) {
    if (entry.kind !== 'video' || stemOf(fileName) !== videoStem) continue;
    assets[fileName] = await setVideoCaptions(deps, { course: manifest.course, lesson: manifest.lesson, fileName, entry, captions: wanted });
  }
  return { ...manifest, assets };
}

/** The video's manifest entry with `captions` as its subtitle renditions (an empty list removes them). */
export async function setVideoCaptions(
  deps: AttachCaptionsDeps,
  target: { course: string; lesson: string; fileName: string; entry: ManifestEntry; captions: CaptionSource[] },
): Promise<ManifestEntry> {
  const { entry, captions } = target;
  if (sameCaptions(attachedCaptions(entry), captions)) return entry;
  const prefix = `courses/${target.course}/lessons/${target.lesson}/${target.fileName}/${entry.version}/`;
  // Every new file sits beside the transcoded master: its URL is the current master's with another name.
  const current = entry.outputs.find((o) => o.url === entry.url);
  if (!current || !/^hls\/master[.]/.test(current.name)) {
    throw new TranscodeOutputsError(`The video ${target.fileName} (version ${entry.version}) has no HLS master in its manifest entry to attach captions to.`);
  }
  const urlOf = (name: string) => `${current.url.slice(0, -encodeKey(current.name).length)}${encodeKey(name)}`;

  const baseKey = `${prefix}${BASE_MASTER}`;
  const base = parseMasterPlaylist(await readText(deps, baseKey));
  const outputsOf = (master: ManifestEntry['outputs'][number], subtitles: ManifestEntry['outputs']) => [
    master,
    ...entry.outputs.filter((o) => !/^hls\/master[.]/.test(o.name) && !isSubtitlePlaylist(o.name)),
    ...subtitles,
  ];
  const { captions: _previous, ...metadata } = entry.metadata;
  if (captions.length === 0 && !base.renditions.some((r) => r.type === 'SUBTITLES')) {
    // Back to the transcoded master as it was.
    const size = (await deps.published.head(baseKey))?.size ?? 0;
    const output = { name: BASE_MASTER, url: urlOf(BASE_MASTER), contentType: HLS_TYPE, size };
    return { ...entry, url: output.url, outputs: outputsOf(output, []), metadata };
  }
  const timing = await videoTiming(deps, baseKey, base.variants[0]?.uri as string);

  const tracks: SubtitleTrack[] = [];
  const written: ManifestEntry['outputs'] = [];
  for (const caption of captions) {
    const id = sha256Hex(caption.key).slice(0, 12);
    const segment = `captions-${id}.vtt`;
    const playlist = `captions-${id}.m3u8`;
    const vtt = withTimestampMap(await readText(deps, caption.key), timing.mpegTs);
    const playlistText = subtitlePlaylist(segment, timing.durationSeconds);
    await deps.published.put(`${prefix}hls/${segment}`, vtt, { contentType: 'text/vtt', cacheControl: IMMUTABLE_CACHE_CONTROL });
    await deps.published.put(`${prefix}hls/${playlist}`, playlistText, { contentType: HLS_TYPE, cacheControl: IMMUTABLE_CACHE_CONTROL });
    tracks.push({ uri: playlist, label: caption.label, ...(caption.language ? { language: caption.language } : {}) });
    written.push({ name: `hls/${playlist}`, url: urlOf(`hls/${playlist}`), contentType: HLS_TYPE, size: Buffer.byteLength(playlistText) });
  }
  const master = captionedMaster(base, tracks);
  const setId = sha256Hex(JSON.stringify(captions.map((c) => [c.key, c.language ?? null, c.label]))).slice(0, 12);
  const masterName = `hls/master.captions-${setId}.m3u8`;
  await deps.published.put(`${prefix}${masterName}`, master, { contentType: HLS_TYPE, cacheControl: IMMUTABLE_CACHE_CONTROL });

  const masterOutput = { name: masterName, url: urlOf(masterName), contentType: HLS_TYPE, size: Buffer.byteLength(master) };
  const attached: AttachedCaptions[] = captions.map((c) => ({ label: c.label, ...(c.language ? { language: c.language } : {}), key: c.key }));
  return { ...entry, url: masterOutput.url, outputs: outputsOf(masterOutput, written), metadata: { ...metadata, ...(attached.length > 0 ? { captions: attached } : {}) } };
}

/** The captions a video entry carries now (`metadata.captions`); tracks without a key never match. */
function attachedCaptions(entry: ManifestEntry): Array<Partial<AttachedCaptions>> {
  return Array.isArray(entry.metadata?.captions) ? (entry.metadata.captions as Array<Partial<AttachedCaptions>>) : [];
}

function sameCaptions(current: Array<Partial<AttachedCaptions>>, wanted: CaptionSource[]): boolean {
  return current.length === wanted.length && wanted.every((c, i) => current[i]?.key === c.key && current[i]?.label === c.label && current[i]?.language === c.language);
}

/** Subtitle playlists of a video entry: MediaConvert's `hls/master_captions_<lang>.m3u8` and ours. */
function isSubtitlePlaylist(name: string): boolean {
  return /^hls\/(master_captions_[^/]+|captions-[0-9a-f]+)\.m3u8$/.test(name);
}

/** The video's duration and the first time stamp of its first segment (for `X-TIMESTAMP-MAP`). */
async function videoTiming(deps: AttachCaptionsDeps, masterKey: string, variantUri: string): Promise<{ durationSeconds: number; mpegTs: number }> {
  const playlistKey = resolveKey(masterKey, variantUri);
  const playlist = parseMediaPlaylist(await readText(deps, playlistKey));
  const segmentKey = resolveKey(playlistKey, (playlist.segments[0] as { uri: string }).uri);
  const head = await deps.published.getRange(segmentKey, 0, PTS_READ_BYTES - 1);
  const mpegTs = head ? firstPts(head) : undefined;
  if (mpegTs === undefined) throw new TranscodeOutputsError(`The first segment ${segmentKey} of the video has no MPEG-2 time stamp: captions cannot be aligned to it.`);
  return { durationSeconds: playlist.duration, mpegTs };
}

async function readText(deps: AttachCaptionsDeps, key: string): Promise<string> {
  const bytes = await deps.published.get(key);
  if (!bytes) throw new TranscodeOutputsError(`${key} is missing from the published bucket.`);
  return new TextDecoder().decode(bytes);
}

function encodeKey(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

function stemOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}
