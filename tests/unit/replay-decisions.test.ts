import { describe, expect, it } from 'vitest';
import { decideReplay, restartName } from '../../shared/use-cases/replay-executions.js';
import { parseSince } from '../../cli/since.js';
import type { ExecutionDetail } from '../../shared/ports/execution-control.js';

const execution = (over: Partial<ExecutionDetail> = {}): ExecutionDetail => ({
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:lectern-prod-publish-content:av-0123456789abcdef0123456789abcdef',
  name: 'av-0123456789abcdef0123456789abcdef',
  status: 'FAILED',
  startDate: new Date('2026-11-01T10:00:00Z'),
  stopDate: new Date('2026-11-01T10:05:00Z'),
  input: { source: {} },
  error: 'UploadFailed',
  failedState: 'MarkFailed',
  redriveCount: 0,
  redrivable: true,
  ...over,
});

describe('decideReplay', () => {
  it('redrives what Step Functions can redrive', () => {
    expect(decideReplay(execution())).toEqual({ action: 'redrive', reason: 'resumes at MarkFailed' });
  });

  it('restarts with the same input under a derived, deterministic name when redrive is impossible', () => {
    const old = execution({ redrivable: false, notRedrivableReason: 'Execution is past the redrivable period' });
    const decision = decideReplay(old);
    expect(decision).toMatchObject({ action: 'restart', name: restartName(old) });
    expect(restartName(old)).toMatch(/^av-0123456789abcdef0123456789abcdef-replay-[0-9a-f]{8}$/);
    expect(restartName(old)).toBe(restartName({ ...old }));
    expect(restartName(old).length).toBeLessThanOrEqual(80);
    expect(restartName({ ...old, name: 'x'.repeat(80) }).length).toBeLessThanOrEqual(80);
  });

  it('never replays a rejection: the file must be fixed', () => {
    expect(decideReplay(execution({ error: 'UploadRejected' })).action).toBe('skip');
  });
});

describe('parseSince', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  it('takes durations and ISO times', () => {
    expect(parseSince('24h', now).toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(parseSince('90m', now).toISOString()).toBe('2026-11-28T10:30:00.000Z');
    expect(parseSince('2026-11-01T00:00:00Z', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
  it('says what it takes when given nonsense', () => {
    expect(() => parseSince('yesterday', now)).toThrow(/ISO date\/time or a duration/);
  });
});
