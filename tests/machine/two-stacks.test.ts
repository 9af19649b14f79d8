/**
 * Handlers are bound to the stack that runs them (no process-wide registry): two local stacks in
 * one process publish into their own buckets, and closing one leaves the other working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { GOOD_GIFT, text } from '../helpers/upload-fixtures.js';

describe('two local stacks in one process', () => {
  let first: TestStack;
  let second: TestStack;
  beforeAll(async () => {
    [first, second] = await Promise.all([openTestStack({ name: 'pglite' }), openTestStack({ name: 'pglite' })]);
  });
  afterAll(async () => {
    await second?.dispose();
  });

  it('each publishes into its own buckets and database', async () => {
    const [a, b] = await Promise.all([
      first.upload('courses/biology/lessons/cells/a.gift', text(GOOD_GIFT)),
      second.upload('courses/physics/lessons/motion/b.gift', text(GOOD_GIFT)),
    ]);
    expect([a.status, b.status]).toEqual(['published', 'published']);
    expect(Object.keys(await first.publishedTree()).some((key) => key.startsWith('courses/physics/'))).toBe(false);
    expect(Object.keys(await second.publishedTree()).some((key) => key.startsWith('courses/biology/'))).toBe(false);
    expect(await second.db.selectFrom('courses').select('slug').execute()).toEqual([{ slug: 'physics' }]);
  });

  it('keeps working after the other one is closed', async () => {
    await first.dispose();
    const after = await second.upload('courses/physics/lessons/motion/c.gift', text(GOOD_GIFT));
    expect(after).toMatchObject({ status: 'published', reasons: [] });
    expect(Object.keys(await second.publishedTree())).toContain('courses/physics/lessons/motion/manifest.json');
  });
});
