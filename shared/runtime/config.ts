/**
 * Configuration, parsed once at start-up from the environment against a schema. The one place
 * in `shared/` that reads `process.env`; everything else receives plain values.
 */
import { parseAccessConfig, type AccessConfig } from '../access/access-config.js';
import { parsePdfPolicy, type PdfPolicy } from '../pdf/pdf-policy.js';
import { DEFAULT_MISSED_LOOKBACK_MS, DEFAULT_READINESS_THRESHOLDS, parseThresholds, type ReadinessConfig } from '../schedule/escalation.js';
import { parseVideoConfig, type VideoConfig } from '../video/video-config.js';
import { ConfigError } from '../contract/errors.js';
import type { UploadKind } from '../contract/upload-key.js';

export { ConfigError };

const MiB = 1024 * 1024;

// Hand-written rather than zod: every Lambda parses this, and a schema library would be most of
// a small function's bundle.
type Env = Record<string, string | undefined>;

function text(env: Env, name: string, problems: string[], check?: { pattern: RegExp; what: string }): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (check && !check.pattern.test(value)) problems.push(`${name}: "${value}" is not ${check.what}`);
  return value;
}

function positiveInt(env: Env, name: string, fallback: number, problems: string[]): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    problems.push(`${name}: "${value}" is not a positive whole number`);
    return fallback;
  }
  return number;
}

export interface Limits {
  maxBytes: Record<UploadKind, number>;
  maxPages: number;
  maxQuestions: number;
}

export interface LecternConfig {
  stage: string;
  runtime: 'aws' | 'local';
  /** Local mode: root of the uploads/published trees, the database and the logs. */
  stateDir: string;
  uploadBucket?: string;
  publishedBucket?: string;
  cdnBaseUrl?: string;
  cdnDistributionId?: string;
  stateMachineArn?: string;
  /** Any PostgreSQL (directly, RDS Proxy or PgBouncer). Local mode without it: embedded PGlite. */
  databaseUrl?: string;
  limits: Limits;
  /** The stage's PDF policy (LECTERN_PDF_* variables). */
  pdfPolicy: PdfPolicy;
  /** A quiz question of a type lectern cannot represent: skip it with a warning, or reject the quiz (LECTERN_QUIZ_UNSUPPORTED). */
  quizUnsupported: 'skip' | 'reject';
  /** Directory of qpdf's WebAssembly (LECTERN_QPDF_DIR; on Lambda the `qpdf` layer, /opt); unset: the installed package. */
  qpdfDir?: string;
  /** Video and audio: limits, the ladder, MediaConvert (LECTERN_VIDEO_*, MEDIACONVERT_* variables). */
  video: VideoConfig;
  /** Who may read published content: stage default, grant bounds, CORS origins (LECTERN_ACCESS, …). */
  access: AccessConfig;
  /** Readiness alerts before class (LECTERN_READINESS_THRESHOLDS, LECTERN_READINESS_MISSED_LOOKBACK_MINUTES). */
  readiness: ReadinessConfig;
  /**
   * Automatic captions (docs/captions.md): on or off (LECTERN_AUTO_CAPTIONS), how long a Transcribe job may take, and how
   * long a published video may go without captions before it counts as overdue (LECTERN_CAPTIONS_GRACE_HOURS).
   */
  autoCaptions: { enabled: boolean; maxHours: number; graceHours: number };
}

export function parseConfig(env: Env): LecternConfig {
  const problems: string[] = [];
  const stage = text(env, 'LECTERN_STAGE', problems, { pattern: /^[a-z][a-z0-9-]{0,20}$/, what: 'a lower-case stage name such as dev, staging or prod' }) ?? 'local';
  const runtime = text(env, 'LECTERN_RUNTIME', problems, { pattern: /^(aws|local)$/, what: '"aws" or "local"' }) ?? 'local';
  const e = {
    UPLOAD_BUCKET: text(env, 'UPLOAD_BUCKET', problems),
    PUBLISHED_BUCKET: text(env, 'PUBLISHED_BUCKET', problems),
    CDN_BASE_URL: text(env, 'CDN_BASE_URL', problems, { pattern: /^https?:\/\/[^\s/]+/, what: 'an http(s) URL' }),
    CDN_DISTRIBUTION_ID: text(env, 'CDN_DISTRIBUTION_ID', problems),
    STATE_MACHINE_ARN: text(env, 'STATE_MACHINE_ARN', problems),
    DATABASE_URL: text(env, 'DATABASE_URL', problems),
    LECTERN_QPDF_DIR: text(env, 'LECTERN_QPDF_DIR', problems, { pattern: /^\//, what: 'an absolute path' }),
    LECTERN_MAX_BYTES_PDF: positiveInt(env, 'LECTERN_MAX_BYTES_PDF', 200 * MiB, problems),
    LECTERN_MAX_BYTES_QUIZ: positiveInt(env, 'LECTERN_MAX_BYTES_QUIZ', 2 * MiB, problems),
    LECTERN_MAX_BYTES_CAPTIONS: positiveInt(env, 'LECTERN_MAX_BYTES_CAPTIONS', 5 * MiB, problems),
    LECTERN_MAX_BYTES_IMAGE: positiveInt(env, 'LECTERN_MAX_BYTES_IMAGE', 5 * MiB, problems),
    LECTERN_MAX_BYTES_COURSE: positiveInt(env, 'LECTERN_MAX_BYTES_COURSE', 256 * 1024, problems),
    LECTERN_MAX_BYTES_VIDEO: positiveInt(env, 'LECTERN_MAX_BYTES_VIDEO', 20 * 1024 * MiB, problems),
    LECTERN_MAX_PAGES: positiveInt(env, 'LECTERN_MAX_PAGES', 2000, problems),
    LECTERN_MAX_QUESTIONS: positiveInt(env, 'LECTERN_MAX_QUESTIONS', 500, problems),
    LECTERN_READINESS_MISSED_LOOKBACK_MINUTES: positiveInt(env, 'LECTERN_READINESS_MISSED_LOOKBACK_MINUTES', DEFAULT_MISSED_LOOKBACK_MS / 60_000, problems),
    LECTERN_QUIZ_UNSUPPORTED: text(env, 'LECTERN_QUIZ_UNSUPPORTED', problems, { pattern: /^(skip|reject)$/, what: '"skip" or "reject"' }),
    LECTERN_AUTO_CAPTIONS: text(env, 'LECTERN_AUTO_CAPTIONS', problems, { pattern: /^(on|off)$/, what: '"on" or "off"' }),
    LECTERN_AUTO_CAPTIONS_MAX_HOURS: positiveInt(env, 'LECTERN_AUTO_CAPTIONS_MAX_HOURS', 6, problems),
    LECTERN_CAPTIONS_GRACE_HOURS: positiveInt(env, 'LECTERN_CAPTIONS_GRACE_HOURS', 24, problems),
  };
  const thresholds = parseThresholds(env.LECTERN_READINESS_THRESHOLDS || DEFAULT_READINESS_THRESHOLDS);
  for (const problem of thresholds.problems) problems.push(`LECTERN_READINESS_THRESHOLDS: ${problem}`);
  if (problems.length > 0) throw new ConfigError(`Invalid lectern configuration — ${problems.join('; ')}`);
  if (runtime === 'aws') {
    const missing = (['UPLOAD_BUCKET', 'PUBLISHED_BUCKET', 'CDN_BASE_URL'] as const).filter((name) => !e[name]);
    if (missing.length > 0) throw new ConfigError(`LECTERN_RUNTIME=aws needs ${missing.join(', ')} (set them in serverless.yml).`);
  }
  const videoBytes = e.LECTERN_MAX_BYTES_VIDEO;
  let pdfPolicy: PdfPolicy;
  try {
    pdfPolicy = parsePdfPolicy(env);
  } catch (error) {
    throw new ConfigError(`Invalid lectern configuration — ${(error as Error).message}`);
  }
  let video: VideoConfig;
  try {
    video = parseVideoConfig(env);
  } catch (error) {
    throw new ConfigError(`Invalid lectern configuration — ${(error as Error).message}`);
  }
  let access: AccessConfig;
  try {
    access = parseAccessConfig(env);
  } catch (error) {
    throw new ConfigError(`Invalid lectern configuration — ${(error as Error).message}`);
  }
  return {
    stage,
    runtime: runtime as 'aws' | 'local',
    stateDir: env.LECTERN_STATE_DIR || '.lectern',
    uploadBucket: e.UPLOAD_BUCKET,
    publishedBucket: e.PUBLISHED_BUCKET,
    cdnBaseUrl: e.CDN_BASE_URL,
    cdnDistributionId: e.CDN_DISTRIBUTION_ID,
    stateMachineArn: e.STATE_MACHINE_ARN,
    databaseUrl: e.DATABASE_URL,
    limits: {
      maxBytes: {
        pdf: e.LECTERN_MAX_BYTES_PDF,
        quiz: e.LECTERN_MAX_BYTES_QUIZ,
        captions: e.LECTERN_MAX_BYTES_CAPTIONS,
        image: e.LECTERN_MAX_BYTES_IMAGE,
        course: e.LECTERN_MAX_BYTES_COURSE,
        video: videoBytes,
        audio: videoBytes,
      },
      maxPages: e.LECTERN_MAX_PAGES,
      maxQuestions: e.LECTERN_MAX_QUESTIONS,
    },
    pdfPolicy,
    quizUnsupported: e.LECTERN_QUIZ_UNSUPPORTED === 'reject' ? 'reject' : 'skip',
    ...(e.LECTERN_QPDF_DIR ? { qpdfDir: e.LECTERN_QPDF_DIR } : {}),
    video,
    access,
    readiness: { thresholds: thresholds.thresholds, missedLookbackMs: e.LECTERN_READINESS_MISSED_LOOKBACK_MINUTES * 60_000 },
    autoCaptions: { enabled: e.LECTERN_AUTO_CAPTIONS !== 'off', maxHours: e.LECTERN_AUTO_CAPTIONS_MAX_HOURS, graceHours: e.LECTERN_CAPTIONS_GRACE_HOURS },
  };
}
