/**
 * Bursts: uploads handed to the local stack all at once, on PostgreSQL through PgBouncer (the
 * stack's pool of 4 connections) where it runs, else PGlite. All are accounted for — every one
 * published, one row each — with no connection errors and no more server connections than the
 * pool. And many uploads into one lesson at once, whose manifest every one of them must update.
 * (bench/reliability-burst.ts runs 1,000.)
 */
import { describe, expect, it } from 'vitest';
import { runBurst } from '../../bench/lib/burst.js';
import { DIALECTS } from '../helpers/dialects.js';
import { checkConsistency } from './support.js';

const bouncer = DIALECTS.find((d) => d.name === 'pgbouncer');
const server = bouncer ? { server: bouncer.server! } : {};
const database = () => (bouncer ? { database: `lectern_burst_${Date.now()}_${Math.floor(Math.random() * 1e6)}` } : {});

describe(`bursts on the local stack (${bouncer ? 'PostgreSQL through PgBouncer' : 'PGlite'})`, () => {
  it('200 uploads at once: all published, no connection errors, at most the pool\'s connections', async () => {
    const burst = await runBurst({ count: 200, ...server, ...database() });
    try {
      expect(burst.notPublished).toEqual([]);
      expect(burst.outcomes).toEqual({ published: 200 });
      expect(burst.rows).toBe(200);
      expect(burst.connectionErrors).toBe(0);
      if (bouncer) expect(burst.peakServerConnections).toBeLessThanOrEqual(10);
      const { problems } = await checkConsistency(burst.stack);
      expect(problems).toEqual([]);
    } finally {
      await burst.dispose();
    }
  }, 180_000);

  it('500 uploads into one lesson at once: every one reaches the lesson manifest', async () => {
    const burst = await runBurst({ count: 500, perLesson: 500, retryIntervalMs: 1, ...server, ...database() });
    try {
      expect(burst.notPublished.slice(0, 3)).toEqual([]);
      const manifest = JSON.parse(new TextDecoder().decode((await burst.stack.published.get('courses/burst-0/lessons/lesson-0/manifest.json'))!)) as { assets: Record<string, unknown> };
      expect(Object.keys(manifest.assets)).toHaveLength(500);
      const { problems } = await checkConsistency(burst.stack);
      expect(problems).toEqual([]);
    } finally {
      await burst.dispose();
    }
  }, 180_000);
});
