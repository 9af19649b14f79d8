/**
 * What is inside a media file, read with MediaInfoLib (`mediainfo.js`, WebAssembly) through
 * ranged reads: the parser asks for the bytes it needs — the head, the index (an MP4 `moov` box
 * may sit at the end), the tail — and never the whole object unless the file is small. The WASM
 * is loaded from the installed package (or from beside the Lambda bundle), never from a network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mediaInfoFactory from 'mediainfo.js';
import type { MediaInfo, MediaInfoResult } from 'mediainfo.js';
import { ConfigError, LecternError } from '../contract/errors.js';

/** Reads bytes `[start, end]` inclusive (HTTP Range semantics), e.g. `ObjectStore.getRange`. */
export type RangeReader = (start: number, end: number) => Promise<Uint8Array | undefined>;

export interface VideoTrackInfo {
  codec: string;
  /** Coded size, before rotation. */
  width: number;
  height: number;
  /** Display rotation from the container, clockwise degrees: 0, 90, 180 or 270. */
  rotation: number;
  /** What the viewer sees: pixel aspect ratio applied, then the rotation. */
  displayWidth: number;
  displayHeight: number;
  frameRate?: number;
  durationSeconds?: number;
}

export interface AudioTrackInfo {
  codec: string;
  channels?: number;
  sampleRate?: number;
  durationSeconds?: number;
  language?: string;
}

export interface MediaProbe {
  /** MediaInfo's container name: `MPEG-4`, `Matroska`, `WebM`, `Wave`, `MPEG Audio`, … */
  container?: string;
  /** e.g. `QuickTime` for .mov, `Base Media` for .mp4. */
  containerProfile?: string;
  durationSeconds?: number;
  fileSize: number;
  video?: VideoTrackInfo;
  videoTrackCount: number;
  audio: AudioTrackInfo[];
  /**
   * The container declares more data than the file holds (MediaInfo's `IsTruncated`): the upload or
   * export was cut short. `expectedBytes`: the size the container declares, when MediaInfo says it.
   */
  truncated?: { expectedBytes?: number };
  /** How much of the object the probe read, and in how many requests. */
  bytesRead: number;
  reads: number;
}

export interface ProbeOptions {
  size: number;
  read: RangeReader;
  /** Stop feeding the parser after this many bytes (it then reports what it has). */
  budgetBytes?: number;
  /** Bytes per read request. */
  chunkBytes?: number;
  /** MediaInfoLib's WebAssembly file (absolute path); default: the installed mediainfo.js package's. */
  wasmFile?: string;
}

/** The parser could not make sense of the bytes at all. */
export class ProbeFailedError extends LecternError {
  readonly code = 'probe.failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeFailedError';
  }
}

export async function probeMedia(options: ProbeOptions): Promise<MediaProbe> {
  const { size, read } = options;
  const budget = options.budgetBytes ?? 16 * 1024 * 1024;
  let bytesRead = 0;
  let reads = 0;
  if (size === 0) return { fileSize: 0, videoTrackCount: 0, audio: [], bytesRead, reads };
  const chunkSize = options.chunkBytes ?? 256 * 1024;
  const result = await withMediaInfo(chunkSize, options.wasmFile, async (mediainfo) => {
    try {
      return await mediainfo.analyzeData(size, async (wanted, offset) => {
        if (wanted <= 0 || bytesRead >= budget) return new Uint8Array(0);
        const length = Math.min(wanted, budget - bytesRead, size - offset);
        if (length <= 0) return new Uint8Array(0);
        reads++;
        const bytes = (await read(offset, offset + length - 1)) ?? new Uint8Array(0);
        bytesRead += bytes.byteLength;
        return bytes;
      });
    } catch (error) {
      throw new ProbeFailedError(`MediaInfo could not parse the file: ${(error as Error).message ?? String(error)}`, { cause: error });
    }
  });
  return summarise(result, size, bytesRead, reads);
}

type MediaInfoInstance = MediaInfo<'object'>;

/**
 * One MediaInfo instance per chunk size (and WASM file), kept for the life of the process (a
 * Lambda container): compiling the 2 MB WASM costs more than most probes. An instance parses one
 * file at a time, so probes take turns.
 */
const instances = new Map<string, { instance: Promise<MediaInfoInstance>; tail: Promise<unknown> }>();

async function withMediaInfo<T>(chunkSize: number, wasmFile: string | undefined, work: (mediainfo: MediaInfoInstance) => Promise<T>): Promise<T> {
  const key = `${chunkSize}:${wasmFile ?? ''}`;
  let current = instances.get(key);
  if (!current) {
    const locateFile = (file: string, prefix?: string) => locateWasm(wasmFile ?? wasmPath(file), prefix);
    current = { instance: mediaInfoFactory({ format: 'object', chunkSize, locateFile }), tail: Promise.resolve() };
    instances.set(key, current);
  }
  const slot = current;
  const turn = slot.tail.then(async () => {
    let mediainfo: MediaInfoInstance;
    try {
      mediainfo = await slot.instance;
    } catch (error) {
      // The WASM did not load: forget the slot so that the next probe tries again.
      if (instances.get(key) === slot) instances.delete(key);
      throw error;
    }
    return work(mediainfo); // analyzeData resets the instance before each file
  });
  slot.tail = turn.catch(() => undefined);
  return turn;
}

type Track = Record<string, unknown> & { '@type': string };

function summarise(result: MediaInfoResult, size: number, bytesRead: number, reads: number): MediaProbe {
  const tracks = (result.media?.track ?? []) as unknown as Track[];
  const general = tracks.find((t) => t['@type'] === 'General');
  const videos = tracks.filter((t) => t['@type'] === 'Video');
  const audios = tracks.filter((t) => t['@type'] === 'Audio');
  const firstVideo = videos[0];
  const video = firstVideo ? videoInfo(firstVideo) : undefined;
  const audio = audios.map(audioInfo);
  const durations = [num(general?.Duration), video?.durationSeconds, ...audio.map((a) => a.durationSeconds)].filter(
    (d): d is number => d !== undefined && d > 0,
  );
  const container = str(general?.Format);
  const containerProfile = str(general?.Format_Profile);
  const truncated = truncation(general);
  return {
    ...(container ? { container } : {}),
    ...(containerProfile ? { containerProfile } : {}),
    ...(durations.length > 0 ? { durationSeconds: Math.max(...durations) } : {}),
    fileSize: size,
    ...(video ? { video } : {}),
    videoTrackCount: videos.length,
    audio,
    ...(truncated ? { truncated } : {}),
    bytesRead,
    reads,
  };
}

/** MediaInfo's verdict that the file is cut short, with the size its boxes declare if it says so. */
function truncation(general: Track | undefined): MediaProbe['truncated'] {
  const extra = general?.extra as Record<string, unknown> | undefined;
  if (str(extra?.IsTruncated) !== 'Yes') return undefined;
  // e.g. "File size is less than expected size (actual 43528 50%, expected 87056, offset 0x18F8)"
  const expected = /less than expected size \(actual \d+[^,]*, expected (\d+)/.exec(JSON.stringify(extra?.ConformanceErrors ?? ''))?.[1];
  return expected ? { expectedBytes: Number(expected) } : {};
}

function videoInfo(t: Track): VideoTrackInfo | undefined {
  const width = num(t.Width);
  const height = num(t.Height);
  if (!width || !height) return undefined;
  const rotation = normaliseRotation(num(t.Rotation) ?? 0);
  const par = num(t.PixelAspectRatio) ?? 1;
  const squareWidth = par > 0 && Math.abs(par - 1) > 0.01 ? Math.round(width * par) : width;
  const turned = rotation === 90 || rotation === 270;
  const frameRate = num(t.FrameRate);
  const durationSeconds = num(t.Duration);
  return {
    codec: str(t.Format) ?? 'unknown',
    width,
    height,
    rotation,
    displayWidth: turned ? height : squareWidth,
    displayHeight: turned ? squareWidth : height,
    ...(frameRate ? { frameRate } : {}),
    ...(durationSeconds ? { durationSeconds } : {}),
  };
}

function audioInfo(t: Track): AudioTrackInfo {
  const channels = num(t.Channels);
  const sampleRate = num(t.SamplingRate);
  const durationSeconds = num(t.Duration);
  const language = str(t.Language);
  return {
    codec: str(t.Format) ?? 'unknown',
    ...(channels ? { channels } : {}),
    ...(sampleRate ? { sampleRate } : {}),
    ...(durationSeconds ? { durationSeconds } : {}),
    ...(language ? { language } : {}),
  };
}

/** Any angle → 0, 90, 180 or 270 (MediaInfo reports e.g. "270.000", sometimes "-90"). */
export function normaliseRotation(degrees: number): number {
  const quarter = Math.round((((degrees % 360) + 360) % 360) / 90) % 4;
  return quarter * 90;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Where `MediaInfoModule.wasm` is when no `wasmFile` is given: beside this module when bundled (a
 * package may copy it there), else in the installed `mediainfo.js` package. (On Lambda the file
 * comes from the `mediainfo` layer, named by LECTERN_MEDIAINFO_WASM.)
 */
function wasmPath(file: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundled = path.join(here, file);
  if (existsSync(bundled)) return bundled;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('mediainfo.js');
  } catch {
    return bundled; // not installed either: locateWasm says what is missing
  }
  // entry: …/mediainfo.js/dist/cjs/index.cjs → the WASM sits in …/dist/
  return path.join(path.dirname(entry), '..', file);
}

const wasmDataUrls = new Map<string, string>();

/**
 * Emscripten's `locateFile`, given the WASM's path. mediainfo.js has two builds: Node's (run by
 * `tsx`/vitest) reads the WASM from a file path; the bundler build (what esbuild picks for the
 * Lambda bundles, through the package's `module` export condition) can only `fetch` it — and
 * Node's fetch has no `file:` URLs.
 * The builds tell themselves apart by their prefix (a path, or a URL): the bundler build gets the
 * WASM as a `data:` URL, read from the same file. Nothing is downloaded either way.
 */
function locateWasm(location: string, prefix = ''): string {
  if (!existsSync(location)) {
    throw new ConfigError(
      `MediaInfo's WebAssembly is not at ${location}. On Lambda it comes from the mediainfo layer (LECTERN_MEDIAINFO_WASM=/opt/MediaInfoModule.wasm; is the layer attached?); elsewhere from the mediainfo.js package (npm ci).`,
    );
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(prefix)) return location;
  let url = wasmDataUrls.get(location);
  if (!url) {
    url = `data:application/wasm;base64,${readFileSync(location).toString('base64')}`;
    wasmDataUrls.set(location, url);
  }
  return url;
}
