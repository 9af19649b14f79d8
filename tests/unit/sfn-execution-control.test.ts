/**
 * The AWS path of replay against the real SDK serializer: a request handler stands in for the
 * Step Functions endpoint, records every request on the wire and answers like the service.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { SfnExecutionControl } from '../../shared/adapters/sfn-execution-control.js';
import { replayExecutions } from '../../shared/use-cases/replay-executions.js';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:lectern-prod-publish-content';
const exec = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:lectern-prod-publish-content:${name}`;

interface Call {
  target: string;
  body: Record<string, unknown>;
}

function fakeSfn(answer: (target: string, body: Record<string, unknown>) => { status?: number; body: unknown }) {
  const calls: Call[] = [];
  const client = new SFNClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: string | Uint8Array }) => {
        const target = (request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
        const raw = request.body ?? '{}';
        const body = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw)) as Record<string, unknown>;
        calls.push({ target, body });
        const reply = answer(target, body);
        const payload = new TextEncoder().encode(JSON.stringify(reply.body));
        const { Readable } = await import('node:stream');
        return {
          response: {
            statusCode: reply.status ?? 200,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(payload.byteLength) },
            body: Readable.from([payload]),
          },
        };
      },
    } as never,
  });
  return { client, calls };
}

describe('SfnExecutionControl', () => {
  it('lists every page of FAILED, TIMED_OUT and ABORTED executions, then redrives or restarts each', async () => {
    const t = (s: string) => new Date(s).getTime() / 1000;
    const { client, calls } = fakeSfn((target, body) => {
      if (target === 'ListExecutions') {
        if (body.statusFilter === 'FAILED' && !body.nextToken) return { body: { executions: [{ executionArn: exec('av-a'), name: 'av-a', status: 'FAILED', startDate: t('2026-11-27T10:00:00Z'), stopDate: t('2026-11-27T10:01:00Z') }], nextToken: 'page-2' } };
        if (body.statusFilter === 'FAILED') return { body: { executions: [{ executionArn: exec('av-b'), name: 'av-b', status: 'FAILED', startDate: t('2026-11-26T10:00:00Z') }] } };
        if (body.statusFilter === 'TIMED_OUT') return { body: { executions: [{ executionArn: exec('av-c'), name: 'av-c', status: 'TIMED_OUT', startDate: t('2026-10-01T10:00:00Z'), stopDate: t('2026-10-01T12:00:00Z') }] } };
        return { body: { executions: [] } };
      }
      if (target === 'DescribeExecution') {
        const name = String(body.executionArn).split(':').at(-1);
        const base = { executionArn: body.executionArn, stateMachineArn: MACHINE, name, startDate: t('2026-11-26T10:00:00Z'), stopDate: t('2026-11-26T10:01:00Z'), input: '{"source":{"key":"courses/c/lessons/l/a.pdf"}}', redriveCount: 0 };
        if (name === 'av-a') return { body: { ...base, status: 'FAILED', error: 'UploadFailed', redriveStatus: 'REDRIVABLE' } };
        if (name === 'av-b') return { body: { ...base, status: 'FAILED', error: 'UploadRejected', redriveStatus: 'REDRIVABLE' } };
        return { body: { ...base, status: 'TIMED_OUT', error: 'States.Timeout', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is past the redrivable period' } };
      }
      if (target === 'GetExecutionHistory') return { body: { events: [{ timestamp: t('2026-11-26T10:01:00Z'), type: 'TaskStateEntered', id: 9, stateEnteredEventDetails: { name: 'MarkFailed' } }] } };
      if (target === 'RedriveExecution') return { body: { redriveDate: t('2026-11-28T00:00:00Z') } };
      if (target === 'StartExecution') return { status: 400, body: { __type: 'com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists', message: 'Execution Already Exists' } };
      return { status: 400, body: { __type: 'UnknownOperationException' } };
    });

    const items = await replayExecutions(new SfnExecutionControl(client, MACHINE));
    expect(items.map((i) => [i.name, i.decision.action, i.outcome])).toEqual([
      ['av-c', 'restart', 'already-replayed'],
      ['av-b', 'skip', 'skipped'],
      ['av-a', 'redrive', 'redriven'],
    ]);

    const lists = calls.filter((c) => c.target === 'ListExecutions').map((c) => c.body);
    expect(lists).toEqual([
      { stateMachineArn: MACHINE, statusFilter: 'FAILED', maxResults: 100 },
      { stateMachineArn: MACHINE, statusFilter: 'FAILED', maxResults: 100, nextToken: 'page-2' },
      { stateMachineArn: MACHINE, statusFilter: 'TIMED_OUT', maxResults: 100 },
      { stateMachineArn: MACHINE, statusFilter: 'ABORTED', maxResults: 100 },
    ]);
    expect(calls.find((c) => c.target === 'RedriveExecution')?.body).toEqual({ executionArn: exec('av-a'), clientToken: 'av-a-r1' });
    const start = calls.find((c) => c.target === 'StartExecution')?.body;
    expect(start).toMatchObject({ stateMachineArn: MACHINE, input: '{"source":{"key":"courses/c/lessons/l/a.pdf"}}' });
    expect(start?.name).toMatch(/^av-c-replay-[0-9a-f]{8}$/);
    expect(calls.some((c) => c.target === 'RedriveExecution' && c.body.executionArn !== exec('av-a'))).toBe(false);
  });

  it('stops paging once executions are older than --since', async () => {
    const t = (s: string) => new Date(s).getTime() / 1000;
    const { client, calls } = fakeSfn((target) => {
      if (target === 'ListExecutions') return { body: { executions: [{ executionArn: exec('av-old'), name: 'av-old', status: 'FAILED', startDate: t('2026-01-01T00:00:00Z') }], nextToken: 'more' } };
      return { body: {} };
    });
    const found = await new SfnExecutionControl(client, MACHINE).listUnsuccessful(new Date('2026-11-01T00:00:00Z'));
    expect(found).toEqual([]);
    expect(calls.filter((c) => c.target === 'ListExecutions')).toHaveLength(3);
  });
});
