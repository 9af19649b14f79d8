/**
 * What the PDF validator accepts. One value per deployment, read once from `LECTERN_PDF_*`
 * environment variables by `parsePdfPolicy` (see docs/pdf-validation.md for the table).
 */
import { LecternError } from '../contract/errors.js';

/** `reject`: the upload is rejected. `flag`: it is accepted with a warning. */
export type ActiveContentAction = 'reject' | 'flag';

export interface PdfPolicy {
  /** Larger files are rejected before parsing (`pdf.too-large`). */
  maxBytes: number;
  /** Documents with more pages are rejected (`pdf.too-many-pages`). */
  maxPages: number;
  /** JavaScript anywhere: OpenAction, document-level, page/field/annotation actions, XFA scripts. */
  javascript: ActiveContentAction;
  /** `/Launch` actions (start a program or open a local file). */
  launch: ActiveContentAction;
  /** Embedded files: the EmbeddedFiles name tree, file attachment annotations, `/EF` file specs. */
  embeddedFiles: ActiveContentAction;
  /** RichMedia (Flash/video), 3D, Screen/Movie/Sound annotations and Rendition actions. */
  richMedia: ActiveContentAction;
  /** XFA forms (Adobe LiveCycle). Script-bearing XFA is also reported under `javascript`. */
  xfa: ActiveContentAction;
  /** Encrypted files that open without a password (only an owner password restricts them). */
  ownerPasswordOnly: 'accept' | 'reject';
  /** Files that are damaged but that the parser recovers (bad xref, junk, truncated tail). */
  damaged: 'accept' | 'reject';
  /**
   * Time budget for one file, parsing included. Running out of it is not a verdict on the file
   * (a busy machine is slow): the check is retried later as a transient failure.
   */
  timeoutMs: number;
  /** Pages (spread over the document) checked for a text layer; 0 turns the check off. */
  textLayerSamplePages: number;
}

/**
 * Secure defaults. Every kind of active content is rejected except XFA, which is flagged:
 * hybrid XFA forms (the common case: university and government forms) carry an AcroForm
 * fallback that every viewer shows, and an XFA form that carries scripts is rejected anyway as
 * JavaScript. Owner-password-only and damaged-but-recovered files are accepted with a warning,
 * because students can open them.
 */
export const DEFAULT_PDF_POLICY: PdfPolicy = Object.freeze({
  maxBytes: 100 * 1024 * 1024,
  maxPages: 2000,
  javascript: 'reject',
  launch: 'reject',
  embeddedFiles: 'reject',
  richMedia: 'reject',
  xfa: 'flag',
  ownerPasswordOnly: 'accept',
  damaged: 'accept',
  timeoutMs: 15_000,
  textLayerSamplePages: 5,
});

/** Policy configuration is wrong; the message lists every problem. Thrown at start-up only. */
export class PdfPolicyError extends LecternError {
  readonly code = 'config.pdf-policy-invalid';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid PDF policy: ${problems.join('; ')}`);
    this.name = 'PdfPolicyError';
    this.problems = problems;
  }
}

type Field = keyof PdfPolicy;

interface FieldSpec {
  env: string;
  kind: 'bytes' | 'integer' | 'choice';
  min?: number;
  max?: number;
  choices?: readonly string[];
}

const ACTIVE: readonly string[] = ['reject', 'flag'];
const ACCEPT: readonly string[] = ['accept', 'reject'];

/** Field → environment variable, type and range. The single source for parsing and checking. */
export const PDF_POLICY_FIELDS: Readonly<Record<Field, FieldSpec>> = {
  maxBytes: { env: 'LECTERN_PDF_MAX_BYTES', kind: 'bytes', min: 1, max: 2 * 1024 ** 3 },
  maxPages: { env: 'LECTERN_PDF_MAX_PAGES', kind: 'integer', min: 1, max: 1_000_000 },
  javascript: { env: 'LECTERN_PDF_JAVASCRIPT', kind: 'choice', choices: ACTIVE },
  launch: { env: 'LECTERN_PDF_LAUNCH', kind: 'choice', choices: ACTIVE },
  embeddedFiles: { env: 'LECTERN_PDF_EMBEDDED_FILES', kind: 'choice', choices: ACTIVE },
  richMedia: { env: 'LECTERN_PDF_RICH_MEDIA', kind: 'choice', choices: ACTIVE },
  xfa: { env: 'LECTERN_PDF_XFA', kind: 'choice', choices: ACTIVE },
  ownerPasswordOnly: { env: 'LECTERN_PDF_OWNER_PASSWORD_ONLY', kind: 'choice', choices: ACCEPT },
  damaged: { env: 'LECTERN_PDF_DAMAGED', kind: 'choice', choices: ACCEPT },
  timeoutMs: { env: 'LECTERN_PDF_TIMEOUT_MS', kind: 'integer', min: 100, max: 15 * 60_000 },
  textLayerSamplePages: { env: 'LECTERN_PDF_TEXT_LAYER_SAMPLE_PAGES', kind: 'integer', min: 0, max: 1000 },
};

const FIELDS = Object.keys(PDF_POLICY_FIELDS) as Field[];
const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** A byte count: `52428800`, `50MiB`, `512 KiB`. Decimal units (MB) are refused as ambiguous. */
function parseBytes(text: string): number | undefined {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = BYTE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) return undefined;
  return Number(match[1]) * unit;
}

function describe(spec: FieldSpec): string {
  if (spec.kind === 'choice') return `one of ${spec.choices!.map((c) => `'${c}'`).join(', ')}`;
  const range = `from ${spec.min} to ${spec.max}`;
  return spec.kind === 'bytes' ? `a byte count ${range} (a KiB/MiB/GiB suffix is allowed)` : `an integer ${range}`;
}

function checkValue(field: Field, value: unknown): string | undefined {
  const spec = PDF_POLICY_FIELDS[field];
  const ok =
    spec.kind === 'choice'
      ? typeof value === 'string' && spec.choices!.includes(value)
      : Number.isSafeInteger(value) && (value as number) >= spec.min! && (value as number) <= spec.max!;
  return ok ? undefined : `${field} must be ${describe(spec)}, got ${JSON.stringify(value)}`;
}

/**
 * Defaults overlaid with `overrides`. Returns the problems instead of throwing, so that
 * `validatePdf` (which never throws) can turn them into a verdict.
 */
export function resolvePdfPolicy(overrides: Partial<PdfPolicy> = {}): { policy: PdfPolicy; problems: string[] } {
  const policy: PdfPolicy = { ...DEFAULT_PDF_POLICY };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!(key in PDF_POLICY_FIELDS)) {
      problems.push(`unknown policy field '${key}'`);
      continue;
    }
    if (value === undefined) continue;
    const problem = checkValue(key as Field, value);
    if (problem) problems.push(problem);
    else (policy as unknown as Record<string, unknown>)[key] = value;
  }
  return { policy, problems };
}

/**
 * Reads `LECTERN_PDF_*` variables over the defaults. Unset or empty variables keep the default;
 * a bad value or an unknown `LECTERN_PDF_*` name (a typo) throws `PdfPolicyError` naming all of them.
 */
export function parsePdfPolicy(env: Record<string, string | undefined>): PdfPolicy {
  const policy: PdfPolicy = { ...DEFAULT_PDF_POLICY };
  const problems: string[] = [];
  const known = new Set(FIELDS.map((field) => PDF_POLICY_FIELDS[field].env));
  for (const name of Object.keys(env)) {
    if (name.startsWith('LECTERN_PDF_') && !known.has(name)) {
      problems.push(`unknown variable ${name} (known: ${[...known].join(', ')})`);
    }
  }
  for (const field of FIELDS) {
    const spec = PDF_POLICY_FIELDS[field];
    const raw = env[spec.env]?.trim();
    if (raw === undefined || raw === '') continue;
    let value: unknown;
    if (spec.kind === 'choice') value = raw.toLowerCase();
    else if (spec.kind === 'bytes') value = parseBytes(raw);
    else value = /^\d+$/.test(raw) ? Number(raw) : undefined;
    if (value === undefined || checkValue(field, value)) problems.push(`${spec.env} must be ${describe(spec)}, got '${raw}'`);
    else (policy as unknown as Record<string, unknown>)[field] = value;
  }
  if (problems.length > 0) throw new PdfPolicyError(problems);
  return policy;
}
