/**
 * The state machines are valid ASL, and their Retry/Catch policy matches the error taxonomy in
 * `shared/contract/errors.ts`: terminal names are caught (→ MarkRejected) and never retried, transient
 * names are retried with backoff and full jitter, everything else ends in MarkFailed.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TERMINAL_ERROR_NAMES, TRANSIENT_ERROR_NAMES } from '../../shared/contract/errors.js';
import { buildAsl, expandRetryPolicies, recordFailingStates } from '../../state-machines/build-asl.js';
import { parseVideoConfig } from '../../shared/video/video-config.js';
import {
  aslFiles,
  fakeFunctionArn,
  invokedFunction,
  placeholders,
  readAsl,
  substitute,
  successors,
  taskStates,
  type AslDefinition,
} from './state-machine-helpers.js';

type AslValidator = (definition: unknown) => { isValid: boolean; errors: Array<{ 'Error code': string; Message: string }> };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** The Lambda service's own transient errors, which AWS recommends retrying on every Lambda task. */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
/** Catch-alls that must never be retried: they would retry terminal errors too. */
const NEVER_RETRIED = ['States.ALL', 'States.TaskFailed'];
const terminal = new Set<string>(TERMINAL_ERROR_NAMES);
const transient = new Set<string>(TRANSIENT_ERROR_NAMES);

function isKnownRetryName(name: string): boolean {
  return transient.has(name) || name.startsWith('Lambda.') || name.startsWith('States.') || name === 'Sandbox.Timedout';
}

function isKnownCatchName(name: string): boolean {
  return terminal.has(name) || name.startsWith('States.');
}

const files = aslFiles();

it('state-machines/ holds at least publish-content', () => {
  expect(files.map((file) => path.basename(file))).toContain('publish-content.asl.json');
});

describe('state-machines/src → *.asl.json (npm run build:asl)', () => {
  it('every generated file is what its source builds: edit src/, then run `npm run build:asl`', () => {
    const built = buildAsl();
    expect([...built.keys()].sort()).toEqual(files.map((file) => path.basename(file)));
    for (const file of files) expect(readAsl(file).text, path.basename(file)).toBe(built.get(path.basename(file)));
  });

  it('gives a Task state the blocks of the retry policy it names, and refuses an unknown one', () => {
    const retry = { blocks: { service: { ErrorEquals: ['Lambda.Unknown'], MaxAttempts: 2 } }, policies: { task: ['service'] } };
    const source = { StartAt: 'A', States: { A: { Type: 'Task', Retry: 'task', End: true } } };
    expect(expandRetryPolicies(source, retry).States.A.Retry).toEqual([{ ErrorEquals: ['Lambda.Unknown'], MaxAttempts: 2 }]);
    expect(() => expandRetryPolicies({ StartAt: 'A', States: { A: { Type: 'Task', Retry: 'lambda', End: true } } }, retry)).toThrow(/no retry policy "lambda".*known: task/);
  });

  it('sends a Catch into MarkFailed through a Pass state that records the failing state by its own name', () => {
    const catchAll = { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' };
    const source = {
      StartAt: 'Publish',
      States: { Publish: { Type: 'Task', Catch: [catchAll], End: true }, MarkFailed: { Type: 'Task', End: true } },
    };
    const built = recordFailingStates(source);
    expect(built.States.Publish.Catch).toEqual([{ ...catchAll, Next: 'PublishFailed' }]);
    expect(built.States).toHaveProperty('PublishFailed', expect.objectContaining({ Type: 'Pass', Result: 'Publish', ResultPath: '$.failedState', Next: 'MarkFailed' }));
    expect(source.States.Publish.Catch[0]?.Next, 'the source is left as it was').toBe('MarkFailed');
    const taken = { ...source, States: { ...source.States, PublishFailed: { Type: 'Succeed' } } };
    expect(() => recordFailingStates(taken)).toThrow(/PublishFailed is generated/);
  });
});

describe.each(files.map((file) => [path.basename(file), file] as const))('%s', (_name, file) => {
  const { text, definition } = readAsl(file);
  const tasks = taskStates(definition);

  it('times out a stuck execution (so the executions-timed-out alarm can fire), after the longest legitimate one', () => {
    // LECTERN_TRANSCODE_MAX_HOURS goes up to 72: a transcode may take that long, plus the rest.
    expect(() => parseVideoConfig({ LECTERN_TRANSCODE_MAX_HOURS: '73' })).toThrow(/LECTERN_TRANSCODE_MAX_HOURS/);
    const timeout = (definition as { TimeoutSeconds?: number }).TimeoutSeconds;
    expect(timeout, 'top-level TimeoutSeconds').toBeGreaterThanOrEqual(72 * 3600 + 24 * 3600);
    expect(timeout).toBeLessThanOrEqual(7 * 24 * 3600);
  });

  it('is valid ASL as written, with its placeholders', () => {
    const result = aslValidator(structuredClone(definition));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('is valid ASL once every placeholder is a Lambda ARN (what AWS receives)', () => {
    const values = Object.fromEntries(placeholders(text).map((name) => [name, fakeFunctionArn(name)]));
    const deployed = JSON.parse(substitute(text, values)) as AslDefinition;
    const result = aslValidator(deployed);
    expect(result.errors).toEqual([]);
  });

  it('invokes every function through a ${…FunctionArn} placeholder', () => {
    expect(tasks.length).toBeGreaterThan(0);
    for (const [name, state] of tasks) {
      expect(invokedFunction(state), name).toMatch(/^\$\{[A-Z][A-Za-z0-9]*FunctionArn\}$/);
    }
  });

  it('retries only transient and service errors, always with full jitter', () => {
    for (const [name, state] of tasks) {
      const retriers = state.Retry ?? [];
      expect(retriers.length, `${name} has no Retry`).toBeGreaterThan(0);
      const retried = retriers.flatMap((retrier) => retrier.ErrorEquals);
      for (const retrier of retriers) {
        expect(retrier.JitterStrategy, `${name} retrier ${retrier.ErrorEquals.join(',')}`).toBe('FULL');
      }
      for (const error of retried) {
        expect(terminal.has(error), `${name} retries the terminal error ${error}`).toBe(false);
        expect(NEVER_RETRIED, `${name} retries the catch-all ${error}`).not.toContain(error);
        expect(isKnownRetryName(error), `${name} retries ${error}, a name shared/contract/errors.ts does not know`).toBe(true);
      }
      for (const error of [...TRANSIENT_ERROR_NAMES, ...LAMBDA_SERVICE_ERRORS]) {
        expect(retried, `${name} does not retry ${error}`).toContain(error);
      }
    }
  });

  it('sends terminal errors to MarkRejected before publishing, and everything else to MarkFailed', () => {
    expect(definition.States.MarkRejected?.Type).toBe('Task');
    expect(definition.States.MarkFailed?.Type).toBe('Task');
    const afterPublish = definition.States.PublishAsset ? successors(definition, 'PublishAsset') : new Set<string>();
    const handlers = new Set(['MarkRejected', 'MarkFailed']);
    const resume = definition.States.ResumeFailedStep as { Choices?: Array<{ StringEquals?: string; Next?: string }> } | undefined;
    const resumable = (resume?.Choices ?? []).filter((choice) => choice.StringEquals === choice.Next).map((choice) => choice.Next);
    const captions = reachableWithCatches('CaptionsWanted');

    for (const [name, state] of tasks) {
      const catchers = state.Catch ?? [];
      // MarkFailed is the end of the line: if it fails, the execution fails there (and a redrive
      // re-runs it), so it needs no Catch; one, if present, must lead to a Fail state.
      if (name === 'MarkFailed' && catchers.length === 0) continue;
      expect(catchers.length, `${name} has no Catch`).toBeGreaterThan(0);
      for (const catcher of catchers) {
        for (const error of catcher.ErrorEquals) {
          expect(isKnownCatchName(error), `${name} catches ${error}, a name shared/contract/errors.ts does not know`).toBe(true);
        }
        // The state's input (the source object) must survive into MarkRejected / MarkFailed.
        expect(catcher.ResultPath, `${name} catcher replaces the whole state`).toMatch(/^\$\.[A-Za-z]/);
      }

      const last = catchers[catchers.length - 1];
      expect(last?.ErrorEquals, `${name}: the last catcher must be States.ALL`).toEqual(['States.ALL']);
      if (name === 'MarkFailed') {
        expect(definition.States[last?.Next ?? '']?.Type, 'MarkFailed falls through to a Fail state').toBe('Fail');
      } else if (captions.has(name)) {
        // Automatic captions run after the upload is published: their failure is a warning.
        expect(['MarkCaptionsMissing', 'Published'], `${name}: States.ALL goes to MarkCaptionsMissing`).toContain(last?.Next);
      } else {
        // through a Pass state that records which state failed, so MarkFailed resumes there
        const recorder = definition.States[last?.Next ?? ''] as { Type?: string; Result?: unknown; ResultPath?: string; Next?: string } | undefined;
        expect(recorder, `${name}: States.ALL goes to a Pass state, then MarkFailed`).toMatchObject({ Type: 'Pass', Result: name, ResultPath: '$.failedState', Next: 'MarkFailed' });
        expect(resumable, `${name}: a redrive can resume there (ResumeFailedStep)`).toContain(name);
      }

      const terminalCatcher = catchers.find((catcher) => catcher.ErrorEquals.some((error) => terminal.has(error)));
      if (handlers.has(name) || afterPublish.has(name) || captions.has(name)) {
        // Once published, a "bad upload" error is a bug, not the educator's problem.
        expect(terminalCatcher, `${name} runs after publishing or is a handler; it must not reject`).toBeUndefined();
        expect(catchers.some((catcher) => catcher.Next === 'MarkRejected'), `${name} → MarkRejected`).toBe(false);
      } else {
        expect(terminalCatcher, `${name} does not catch the terminal errors`).toBeDefined();
        expect([...(terminalCatcher?.ErrorEquals ?? [])].sort(), `${name} catches exactly the terminal names`).toEqual(
          [...TERMINAL_ERROR_NAMES].sort(),
        );
        expect(terminalCatcher?.Next).toBe('MarkRejected');
        expect(catchers.indexOf(terminalCatcher!), `${name}: terminal catcher after States.ALL`).toBeLessThan(catchers.length - 1);
      }
    }
  });

  /** `from` and every state reachable from it, by Next, Default, Choices and Catch. */
  function reachableWithCatches(from: string): Set<string> {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      const state = definition.States[name];
      queue.push(...[state?.Next, state?.Default, ...(state?.Choices ?? []).map((c) => c.Next), ...(state?.Catch ?? []).map((c) => c.Next)].filter((n): n is string => typeof n === 'string'));
    }
    return seen;
  }

  it('never fails or rejects a published upload over its automatic captions', () => {
    const captions = reachableWithCatches('CaptionsWanted');
    expect(captions.has('SubmitTranscription') && captions.has('MarkCaptionsMissing')).toBe(true);
    for (const end of ['MarkFailed', 'MarkRejected', 'Failed', 'Rejected']) expect(captions.has(end), `automatic captions → … → ${end}`).toBe(false);
    expect(definition.States.SubmitTranscription?.Catch?.map((c) => c.Next)).toEqual(['PollTranscription', 'MarkCaptionsMissing']);
  });

  it('lists in shared/contract/errors.ts every error name it routes on', () => {
    const names = new Set(
      tasks.flatMap(([, state]) => [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((entry) => entry.ErrorEquals)),
    );
    const custom = [...names].filter((name) => !/^(States|Lambda|Sandbox)\./.test(name));
    for (const name of custom) expect(terminal.has(name) || transient.has(name), name).toBe(true);
  });
});
