/**
 * The error taxonomy. Every name is a string literal (never `constructor.name`, which minifiers
 * rename) because the state machine routes on it:
 * - terminal errors → Catch → `MarkRejected` (the upload itself is wrong; retrying cannot help);
 * - transient errors → Retry with backoff and full jitter, then `MarkFailed` (ops replay it).
 */

/** One thing wrong (or worth saying) about an upload, as the educator sees it. */
export interface Reason {
  /** Stable, kebab-case machine code, e.g. `quiz.no-correct-answer`, `pdf.javascript`. */
  code: string;
  /** What is wrong, where, and how to fix it: one or two plain sentences. */
  message: string;
  /** 1-based line in the uploaded file, where the problem has a position. */
  line?: number;
  /** 1-based column in the uploaded file. */
  column?: number;
}

export interface LecternErrorOptions {
  cause?: unknown;
}

/**
 * The base of every error lectern throws: a stable `code` for logs and metrics, a literal `name`
 * (set by each subclass), and the `cause` forwarded.
 */
export abstract class LecternError extends Error {
  abstract readonly code: string;
  constructor(message: string, options: LecternErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

// ── terminal: the upload is wrong ────────────────────────────────────────────────────────────

/** The upload's content breaks the rules for its kind (see `reasons`). */
export class ValidationError extends LecternError {
  readonly code: string;
  constructor(message: string, options: LecternErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.name = 'ValidationError';
    this.code = options.code ?? 'validation-failed';
  }
}

/** The key does not follow the upload contract (layout, slugs, file name). */
export class InvalidKeyError extends LecternError {
  readonly code: string;
  constructor(message: string, options: LecternErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.name = 'InvalidKeyError';
    this.code = options.code ?? 'key.invalid';
  }
}

/** A kind lectern does not handle (yet), or content that does not match its extension. */
export class UnsupportedUploadError extends LecternError {
  readonly code: string;
  constructor(message: string, options: LecternErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.name = 'UnsupportedUploadError';
    this.code = options.code ?? 'upload.unsupported';
  }
}

/** The upload is over a configured limit (bytes, pages, questions). */
export class LimitExceededError extends LecternError {
  readonly code: string;
  constructor(message: string, options: LecternErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.name = 'LimitExceededError';
    this.code = options.code ?? 'upload.too-large';
  }
}

/** The source object is gone (deleted before we got to it) — nothing to publish, nothing to retry. */
export class SourceMissingError extends LecternError {
  readonly code: string;
  constructor(message: string, options: LecternErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.name = 'SourceMissingError';
    this.code = options.code ?? 'upload.source-missing';
  }
}

// ── transient: try again later ───────────────────────────────────────────────────────────────

/** A dependency (database, object store, CDN, AWS API) is unavailable or throttling. */
export class DependencyUnavailableError extends LecternError {
  readonly code = 'dependency.unavailable';
  constructor(message: string, options: LecternErrorOptions = {}) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

/** An optimistic write lost a race (e.g. the lesson manifest changed under us); retrying wins. */
export class ConcurrentModificationError extends LecternError {
  readonly code = 'dependency.conflict';
  constructor(message: string, options: LecternErrorOptions = {}) {
    super(message, options);
    this.name = 'ConcurrentModificationError';
  }
}

/**
 * The lesson manifest in the published bucket is not a lectern manifest. Not the upload's fault
 * and not cured by a retry: the execution fails (MarkFailed: recorded, counted, alarmed) and the
 * manifest is left as it is for ops (docs/runbooks/damaged-manifest.md).
 */
export class DamagedManifestError extends LecternError {
  readonly code = 'manifest.damaged';
  constructor(key: string, problem: string) {
    super(
      `The lesson manifest ${key} cannot be read: ${problem}. It was left as it is, not rebuilt, so no published asset of the lesson is lost: restore its previous version (bucket versioning) or fix it by hand, then run \`lectern replay\` for the failed uploads (docs/runbooks/damaged-manifest.md).`,
    );
    this.name = 'DamagedManifestError';
  }
}

/**
 * Raised by MarkFailed after it has recorded a failure, so that the execution fails at MarkFailed
 * and a redrive re-runs MarkFailed, which resumes at the step that failed.
 */
export class UploadFailedError extends LecternError {
  readonly code = 'pipeline.upload-failed';
  constructor(message: string) {
    super(message);
    this.name = 'UploadFailed';
  }
}

// ── neither: the deployment or lectern itself is wrong ───────────────────────────────────────

/** A configuration value is missing or malformed (environment, secrets, policies). */
export class ConfigError extends LecternError {
  readonly code = 'config.invalid';
  constructor(message: string, options: LecternErrorOptions = {}) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * Something that cannot happen when lectern and the services it calls behave as documented: a
 * step reached with the wrong state, a service answering outside its contract, a local twin asked
 * for what it does not emulate. A bug to fix, not the upload's fault; MarkFailed records it.
 */
export class InternalError extends LecternError {
  readonly code: string;
  constructor(message: string, options: LecternErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.name = 'InternalError';
    this.code = options.code ?? 'internal';
  }
}

/** Names the state machine routes to `MarkRejected`. Keep in sync with the ASL (a test checks). */
export const TERMINAL_ERROR_NAMES = [
  'ValidationError',
  'InvalidKeyError',
  'UnsupportedUploadError',
  'LimitExceededError',
  'SourceMissingError',
] as const;

/** Names the state machine retries with backoff and full jitter. Keep in sync with the ASL. */
export const TRANSIENT_ERROR_NAMES = ['DependencyUnavailableError', 'ConcurrentModificationError'] as const;

