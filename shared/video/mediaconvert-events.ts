/**
 * "MediaConvert Job State Change" events (EventBridge, source `aws.mediaconvert`) and what they
 * mean for an upload. Pure: parsing is tolerant of what MediaConvert actually sends (numbers as
 * strings, missing optional blocks), and the error mapping decides whose fault an ERROR is.
 */

export type JobStatus = 'SUBMITTED' | 'PROGRESSING' | 'COMPLETE' | 'ERROR' | 'CANCELED';
export type EventStatus = JobStatus | 'STATUS_UPDATE' | 'INPUT_INFORMATION' | 'NEW_WARNING' | 'QUEUE_HOP';

export interface OutputReport {
  paths: string[];
  durationMs?: number;
  width?: number;
  height?: number;
}

/** One output group of a finished job, as the COMPLETE event / GetJob describe it. */
export interface OutputGroupReport {
  type: string;
  playlistPaths?: string[];
  outputs: OutputReport[];
}

export interface JobStateChange {
  jobId: string;
  status: EventStatus;
  time: string;
  userMetadata: Record<string, string>;
  /** STATUS_UPDATE: jobPercentComplete. */
  progress?: number;
  phase?: string;
  errorCode?: number;
  errorMessage?: string;
  outputGroups?: OutputGroupReport[];
  warnings?: Array<{ code: string; count: number }>;
}

export const EVENT_SOURCE = 'aws.mediaconvert';
export const EVENT_DETAIL_TYPE = 'MediaConvert Job State Change';

const STATUSES: readonly string[] = ['SUBMITTED', 'PROGRESSING', 'COMPLETE', 'ERROR', 'CANCELED', 'STATUS_UPDATE', 'INPUT_INFORMATION', 'NEW_WARNING', 'QUEUE_HOP'];

/** The event, or why it is not one lectern handles. */
export function parseJobStateChange(event: unknown): JobStateChange | { ignored: string } {
  const e = (event ?? {}) as Record<string, unknown>;
  if (e.source !== EVENT_SOURCE || e['detail-type'] !== EVENT_DETAIL_TYPE) {
    return { ignored: `not a ${EVENT_DETAIL_TYPE} event (${String(e['detail-type'] ?? 'no detail-type')})` };
  }
  const d = (e.detail ?? {}) as Record<string, unknown>;
  const jobId = typeof d.jobId === 'string' ? d.jobId : undefined;
  const status = typeof d.status === 'string' ? d.status : undefined;
  if (!jobId || !status || !STATUSES.includes(status)) return { ignored: `event without a job id or a known status (${String(status)})` };
  const userMetadata: Record<string, string> = {};
  for (const [k, v] of Object.entries((d.userMetadata ?? {}) as Record<string, unknown>)) if (typeof v === 'string') userMetadata[k] = v;
  const progress = d.jobProgress as { jobPercentComplete?: unknown; currentPhase?: unknown } | undefined;
  const percent = toNumber(progress?.jobPercentComplete);
  const errorCode = toNumber(d.errorCode);
  const time = typeof e.time === 'string' ? e.time : typeof d.timestamp === 'number' ? new Date(d.timestamp).toISOString() : new Date(0).toISOString();
  const warnings = Array.isArray(d.warnings)
    ? (d.warnings as Array<Record<string, unknown>>).map((w) => ({ code: String(w.code ?? ''), count: toNumber(w.count) ?? 1 }))
    : undefined;
  return {
    jobId,
    status: status as EventStatus,
    time,
    userMetadata,
    ...(percent !== undefined ? { progress: Math.max(0, Math.min(100, percent)) } : {}),
    ...(typeof progress?.currentPhase === 'string' ? { phase: progress.currentPhase } : {}),
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(typeof d.errorMessage === 'string' ? { errorMessage: d.errorMessage } : {}),
    ...(Array.isArray(d.outputGroupDetails) ? { outputGroups: summariseOutputGroups(d.outputGroupDetails) } : {}),
    ...(warnings ? { warnings } : {}),
  };
}

/** `outputGroupDetails` of an event (camelCase) or of GetJob (PascalCase), reduced to what we use. */
export function summariseOutputGroups(details: unknown[]): OutputGroupReport[] {
  return details.map((raw) => {
    const g = (raw ?? {}) as Record<string, unknown>;
    const outputs = (g.outputDetails ?? g.OutputDetails ?? []) as Array<Record<string, unknown>>;
    const playlists = (g.playlistFilePaths ?? g.PlaylistFilePaths) as unknown;
    const type = String(g.type ?? g.Type ?? 'UNKNOWN');
    return {
      type,
      ...(Array.isArray(playlists) ? { playlistPaths: playlists.map(String) } : {}),
      outputs: outputs.map((o) => {
        const video = (o.videoDetails ?? o.VideoDetails ?? {}) as Record<string, unknown>;
        const width = toNumber(video.widthInPx ?? video.WidthInPx);
        const height = toNumber(video.heightInPx ?? video.HeightInPx);
        const durationMs = toNumber(o.durationInMs ?? o.DurationInMs);
        return {
          paths: ((o.outputFilePaths ?? o.OutputFilePaths ?? []) as unknown[]).map(String),
          ...(durationMs !== undefined ? { durationMs } : {}),
          ...(width !== undefined ? { width } : {}),
          ...(height !== undefined ? { height } : {}),
        };
      }),
    };
  });
}

function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

export type ErrorOwner = 'upload' | 'transient' | 'pipeline';

export interface ClassifiedError {
  owner: ErrorOwner;
  /** For `upload`: the reason code the educator sees. */
  code: string;
  message: string;
}

/**
 * Whose fault a MediaConvert ERROR is (docs/video.md has the table):
 * - `upload` — the source cannot be read or decoded (10xx: 1010 can't open / unsupported input,
 *   1020–1022, 1030, 1040–1043 input decode problems, 1056, 1060, 1075, 1076, 1080 unsupported
 *   input properties, 1091–1093 caption input problems) and 1515/1517/1522 (input streams the
 *   service cannot use). Retrying cannot help: the educator must export the file again.
 * - `transient` — 1550 and 1999 (internal/unknown) and 3999 (service error): a new job may work.
 * - `pipeline` — everything else: 14xx access and permission problems (the MediaConvert role, the
 *   buckets, KMS), 16xx encryption, 1700, 34xx rejected job settings (a lectern bug). Ops fix
 *   the cause and redrive; it is not the educator's problem.
 */
export function classifyTranscodeError(errorCode: number | undefined, errorMessage: string | undefined, fileName: string): ClassifiedError {
  const code = errorCode ?? 0;
  const detail = errorMessage?.trim() || 'no message';
  const upload = (code >= 1010 && code <= 1099) || code === 1515 || code === 1517 || code === 1522;
  if (upload) {
    return {
      owner: 'upload',
      code: code >= 1091 && code <= 1093 ? 'video.transcode-captions' : 'video.transcode-rejected',
      message: `MediaConvert could not transcode "${fileName}" (error ${code}: ${detail}). The file is damaged or uses a format it cannot read: export it again as an H.264/AAC MP4 and upload it again. If this keeps happening with files that play fine, tell your administrator.`,
    };
  }
  if (code === 1550 || code === 1999 || code === 3999) {
    return { owner: 'transient', code: 'dependency.unavailable', message: `MediaConvert failed with a service error (error ${code}: ${detail}).` };
  }
  return { owner: 'pipeline', code: 'pipeline.transcode-failed', message: `MediaConvert failed (error ${code}: ${detail}).` };
}
