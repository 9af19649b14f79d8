/** How much course.yaml may hold, and how deep; the tests lower or raise them through `parseCourse`. */

export interface CourseLimits {
  maxBytes: number;
  /** Alias expansions allowed when building the data (yaml's `maxAliasCount`). */
  maxAliasCount: number;
  maxFlowDepth: number;
  maxIndent: number;
  maxErrors: number;
}

export const DEFAULT_COURSE_LIMITS: CourseLimits = {
  maxBytes: 256 * 1024,
  maxAliasCount: 100,
  maxFlowDepth: 32,
  maxIndent: 128,
  maxErrors: 50,
};

/** The defaults, with each finite, non-negative number given in `limits` in its place. */
export function withDefaults(limits: Partial<CourseLimits> | undefined): CourseLimits {
  const merged = { ...DEFAULT_COURSE_LIMITS };
  for (const [name, value] of Object.entries(limits ?? {}) as Array<[keyof CourseLimits, number | undefined]>) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[name] = value;
  }
  return merged;
}
