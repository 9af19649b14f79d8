/**
 * Who may fetch a course's published files: the CloudFront custom policy a grant carries, and the
 * access modes (`signed` | `public`) of stages, courses and lessons. Pure: no SDK, no environment.
 * See docs/access.md.
 */

export const ACCESS_MODES = ['signed', 'public'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** Where a public lesson's copies are served without cookies (the CDN's `public/*` behaviour). */
export const PUBLIC_PREFIX = 'public/';

/** The three cookie names CloudFront reads for a custom policy. */
export const COOKIE_NAMES = ['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id'] as const;

export interface PolicyStatement {
  Resource: string;
  Condition: {
    DateLessThan: { 'AWS:EpochTime': number };
    DateGreaterThan?: { 'AWS:EpochTime': number };
    IpAddress?: { 'AWS:SourceIp': string };
  };
}

export interface CustomPolicy {
  Statement: PolicyStatement[];
}

/** `https://cdn.example.com/courses/<course>/*`: every file of one course, nothing else. */
export function courseResource(cdnBaseUrl: string, course: string): string {
  return `${cdnBaseUrl.replace(/\/+$/, '')}/courses/${course}/*`;
}

/** The custom policy of a grant: one course, until `expiresAt`, optionally from one IP range. */
export function coursePolicy(input: { cdnBaseUrl: string; course: string; expiresAt: Date; ipRange?: string }): string {
  const condition: PolicyStatement['Condition'] = { DateLessThan: { 'AWS:EpochTime': Math.floor(input.expiresAt.getTime() / 1000) } };
  if (input.ipRange) condition.IpAddress = { 'AWS:SourceIp': input.ipRange };
  const policy: CustomPolicy = { Statement: [{ Resource: courseResource(input.cdnBaseUrl, input.course), Condition: condition }] };
  return JSON.stringify(policy);
}

/** The effective access of a lesson: its own, else its course's, else the stage's default. */
export function effectiveAccess(stageDefault: AccessMode, course?: AccessMode, lesson?: AccessMode): AccessMode {
  return lesson ?? course ?? stageDefault;
}
