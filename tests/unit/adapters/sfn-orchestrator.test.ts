/**
 * The Step Functions adapter: StartExecution as the real SFNClient serialises it, and duplicate
 * deliveries (ExecutionAlreadyExists) read as "already handled".
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { SfnOrchestrator, executionArn } from '../../../shared/adapters/sfn-orchestrator.js';
import { DependencyUnavailableError } from '../../../shared/contract/errors.js';
import { OFFLINE_CLIENT_CONFIG, RecordingHandler, connectionReset, type Answer, type CannedResponse } from './wire.js';

const MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:lectern-dev-publish-content';
const NAME = 'av-0f3c2a9d8e7b6a5f4e3d2c1b0a998877';
const INPUT = {
  source: {
    bucket: 'lectern-dev-uploads-111122223333-eu-west-1',
    key: 'courses/intro-to-physics/lessons/01-motion/Week 1 notes + C++ tips 50%.pdf',
    etag: '5d41402abc4b2a76b9719d911017c592',
    size: 48213,
  },
};

function orchestratorWith(...answers: Answer[]): { orchestrator: SfnOrchestrator; handler: RecordingHandler } {
  const handler = new RecordingHandler(...answers);
  const client = new SFNClient({ ...OFFLINE_CLIENT_CONFIG, requestHandler: handler });
  return { orchestrator: new SfnOrchestrator(client, MACHINE), handler };
}

function jsonError(status: number, type: string, message: string): CannedResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': `${type}:` }, body: JSON.stringify({ __type: `com.amazonaws.swf.service.v2.model#${type}`, message }) };
}

const started: Answer = {
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.0' },
  body: JSON.stringify({ executionArn: `arn:aws:states:eu-west-1:111122223333:execution:lectern-dev-publish-content:${NAME}`, startDate: 1741079728.123 }),
};

describe('SfnOrchestrator.startExecution', () => {
  it('sends StartExecution with the machine, the deterministic name and the input as a JSON string', async () => {
    const { orchestrator, handler } = orchestratorWith(started);
    expect(await orchestrator.startExecution(NAME, INPUT)).toEqual({ started: true, executionArn: `arn:aws:states:eu-west-1:111122223333:execution:lectern-dev-publish-content:${NAME}` });
    const [wire] = handler.requests;
    expect(wire?.method).toBe('POST');
    expect(wire?.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    expect(wire?.headers['content-type']).toBe('application/x-amz-json-1.0');
    const body = JSON.parse(wire?.body ?? '{}') as { stateMachineArn: string; name: string; input: string };
    expect(body.stateMachineArn).toBe(MACHINE);
    expect(body.name).toBe(NAME);
    expect(typeof body.input).toBe('string');
    expect(JSON.parse(body.input)).toEqual(INPUT);
  });

  it('reads ExecutionAlreadyExists as a duplicate delivery: started false, same execution ARN', async () => {
    const { orchestrator } = orchestratorWith(jsonError(400, 'ExecutionAlreadyExists', `Execution Already Exists: '${NAME}'`));
    expect(await orchestrator.startExecution(NAME, INPUT)).toEqual({
      started: false,
      executionArn: `arn:aws:states:eu-west-1:111122223333:execution:lectern-dev-publish-content:${NAME}`,
    });
  });

  it.each([
    ['ThrottlingException', jsonError(400, 'ThrottlingException', 'Rate exceeded')],
    ['ExecutionLimitExceeded', jsonError(400, 'ExecutionLimitExceeded', 'too many executions')],
    ['a 500', jsonError(500, 'InternalServerError', 'internal')],
    ['a reset connection', connectionReset()],
  ])('turns %s into DependencyUnavailableError (the message goes back to the queue)', async (_label, answer) => {
    const { orchestrator } = orchestratorWith(answer);
    await expect(orchestrator.startExecution(NAME, INPUT)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('lets configuration errors through unchanged', async () => {
    const { orchestrator } = orchestratorWith(jsonError(400, 'StateMachineDoesNotExist', 'State Machine Does Not Exist'));
    const error = await orchestrator.startExecution(NAME, INPUT).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).name).toBe('StateMachineDoesNotExist');
  });

  it('refuses a name Step Functions would reject, without calling it', async () => {
    const { orchestrator, handler } = orchestratorWith(started);
    await expect(orchestrator.startExecution('has spaces', INPUT)).rejects.toThrow(RangeError);
    await expect(orchestrator.startExecution('x'.repeat(81), INPUT)).rejects.toThrow(RangeError);
    expect(handler.requests).toHaveLength(0);
  });
});

describe('executionArn', () => {
  it('derives the execution ARN from the state machine ARN and the name', () => {
    expect(executionArn(MACHINE, 'av-1')).toBe('arn:aws:states:eu-west-1:111122223333:execution:lectern-dev-publish-content:av-1');
    expect(executionArn('arn:aws-cn:states:cn-north-1:111122223333:stateMachine:m', 'n')).toBe('arn:aws-cn:states:cn-north-1:111122223333:execution:m:n');
    expect(() => executionArn('arn:aws:lambda:eu-west-1:111122223333:function:f', 'n')).toThrow(RangeError);
  });
});
