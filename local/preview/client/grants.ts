/** On a signed stage (lectern dev): a course's signed cookies, asked for before showing it and renewed before they expire. */

const RENEW_BEFORE_MS = 5 * 60_000;

export interface Grants {
  needsGrant(course: string): boolean;
  grant(course: string): Promise<void>;
}

/** `grantUrl` is lectern dev's grant endpoint; without one (a local or static preview) nothing needs a grant. */
export function courseGrants(grantUrl: string | undefined): Grants {
  /** Until when the page holds cookies for a course (ms); a failed ask is tried again after a while. */
  const grants = new Map<string, number>();
  return {
    needsGrant: (course) => Boolean(grantUrl) && (grants.get(course) ?? 0) - RENEW_BEFORE_MS <= Date.now(),
    /** Asks lectern dev for the course's signed cookies (they arrive as Set-Cookie, HttpOnly). */
    async grant(course) {
      try {
        const response = await fetch(grantUrl as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ course }), cache: 'no-store' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const answer = (await response.json()) as { expiresAt: string };
        grants.set(course, Date.parse(answer.expiresAt));
      } catch (error) {
        console.warn(`lectern preview: no grant for ${course}`, error);
        grants.set(course, Date.now() + RENEW_BEFORE_MS + 30_000); // show the course anyway; ask again in 30 s
      }
    },
  };
}
