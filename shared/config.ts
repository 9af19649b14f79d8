/**
 * Configuration, parsed once at start-up from the environment against a schema. The one place
 * in `shared/` that reads `process.env`; everything else receives plain values.
 */
import { z } from 'zod';
import { parsePdfPolicy, type PdfPolicy } from './pdf/pdf-policy.js';
import { parseVideoConfig, type VideoConfig } from './video/video-config.js';

const positiveInt = z.coerce.number().int().positive();
const MiB = 1024 * 1024;

const EnvSchema = z.object({
  LECTERN_STAGE: z.string().regex(/^[a-z][a-z0-9-]{0,20}$/, 'a lower-case stage name such as dev, staging or prod').default('local'),
  LECTERN_RUNTIME: z.enum(['aws', 'local']).default('local'),
  LECTERN_STATE_DIR: z.string().min(1).default('.lectern'),
  UPLOAD_BUCKET: z.string().min(1).optional(),
  PUBLISHED_BUCKET: z.string().min(1).optional(),
  CDN_BASE_URL: z.string().url().optional(),
  CDN_DISTRIBUTION_ID: z.string().min(1).optional(),
  STATE_MACHINE_ARN: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  LECTERN_MAX_BYTES_PDF: positiveInt.default(200 * MiB),
  LECTERN_MAX_BYTES_QUIZ: positiveInt.default(2 * MiB),
  LECTERN_MAX_BYTES_CAPTIONS: positiveInt.default(5 * MiB),
  LECTERN_MAX_BYTES_COURSE: positiveInt.default(256 * 1024),
  LECTERN_MAX_BYTES_VIDEO: positiveInt.default(20 * 1024 * MiB),
  LECTERN_MAX_PAGES: positiveInt.default(2000),
  LECTERN_MAX_QUESTIONS: positiveInt.default(500),
});

export type UploadKind = 'pdf' | 'quiz' | 'video' | 'audio' | 'captions' | 'course';

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
  /** Video and audio: limits, the ladder, MediaConvert (LECTERN_VIDEO_*, MEDIACONVERT_* variables). */
  video: VideoConfig;
}

/** A configuration value is missing or malformed. Thrown at start-up, never mid-run. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): LecternConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid lectern configuration — ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.LECTERN_RUNTIME === 'aws') {
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
  return {
    stage: e.LECTERN_STAGE,
    runtime: e.LECTERN_RUNTIME,
    stateDir: e.LECTERN_STATE_DIR,
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
        course: e.LECTERN_MAX_BYTES_COURSE,
        video: videoBytes,
        audio: videoBytes,
      },
      maxPages: e.LECTERN_MAX_PAGES,
      maxQuestions: e.LECTERN_MAX_QUESTIONS,
    },
    pdfPolicy,
    video,
  };
}
