import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnExecutionControl } from '../adapters/sfn-execution-control.js';
import { SfnOrchestrator } from '../adapters/sfn-orchestrator.js';
import { SfnTaskCallbacks } from '../adapters/sfn-task-callbacks.js';
import { lambdaConfig, once, required } from './environment.js';

const client = once(() => new SFNClient({}));
export const orchestrator = once(() => new SfnOrchestrator(client(), required(lambdaConfig().stateMachineArn, 'STATE_MACHINE_ARN')));
export const executions = once(() => new SfnExecutionControl(client(), required(lambdaConfig().stateMachineArn, 'STATE_MACHINE_ARN')));
export const taskCallbacks = once(() => new SfnTaskCallbacks(client()));
