/**
 * Reading the ASL files in `state-machines/` for the infrastructure tests: every state at any
 * depth, the function placeholders (`${ClassifyUploadFunctionArn}`), and substitution as
 * CloudFormation's `DefinitionSubstitutions` does it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The repository: two folders up from tests/infra/, three from its compiled copy in dist/tests/infra/ (benches). */
const twoUp = path.resolve(import.meta.dirname, '../..');
export const REPO_ROOT = path.basename(twoUp) === 'dist' ? path.dirname(twoUp) : twoUp;
export const STATE_MACHINES_DIR = path.join(REPO_ROOT, 'state-machines');

export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<{ Next: string }>;
  Retry?: Array<{ ErrorEquals: string[]; JitterStrategy?: string; [key: string]: unknown }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  [key: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

export function aslFiles(): string[] {
  return readdirSync(STATE_MACHINES_DIR)
    .filter((name) => name.endsWith('.asl.json'))
    .sort()
    .map((name) => path.join(STATE_MACHINES_DIR, name));
}

export function readAsl(file: string): { text: string; definition: AslDefinition } {
  const text = readFileSync(file, 'utf8');
  return { text, definition: JSON.parse(text) as AslDefinition };
}

/** Every state, including those inside Parallel branches and Map processors. */
export function allStates(definition: AslDefinition): Array<[string, AslState]> {
  const found: Array<[string, AslState]> = [];
  const visit = (states: Record<string, AslState>): void => {
    for (const [name, state] of Object.entries(states)) {
      found.push([name, state]);
      for (const branch of (state.Branches as AslDefinition[] | undefined) ?? []) visit(branch.States);
      const processor = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
      if (processor) visit(processor.States);
    }
  };
  visit(definition.States);
  return found;
}

export function taskStates(definition: AslDefinition): Array<[string, AslState]> {
  return allStates(definition).filter(([, state]) => state.Type === 'Task');
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Placeholder names in a definition's text, e.g. `ClassifyUploadFunctionArn`. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string))].sort();
}

/**
 * What a Task invokes: its `Resource` for a plain Lambda task, or `Parameters.FunctionName` for
 * the `arn:aws:states:::lambda:invoke[.waitForTaskToken]` integration.
 */
export function invokedFunction(state: AslState): string | undefined {
  if (state.Resource?.startsWith('arn:aws:states:::lambda:invoke')) {
    const name = state.Parameters?.FunctionName ?? state.Parameters?.['FunctionName.$'];
    return typeof name === 'string' ? name : undefined;
  }
  return state.Resource;
}

/** `${X}` → values[X], as CloudFormation applies DefinitionSubstitutions; unknown names throw. */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No substitution for \${${name}}`);
    return value;
  });
}

/** A Lambda ARN of the right shape for placeholder `XFunctionArn` (for validators that check ARNs). */
export function fakeFunctionArn(placeholder: string): string {
  const name = placeholder.replace(/FunctionArn$/, '');
  return `arn:aws:lambda:eu-west-1:111122223333:function:lectern-ci-${name.charAt(0).toLowerCase()}${name.slice(1)}`;
}

/** States reachable from `from` through Next/Default/Choices (not Catch): the normal path. */
export function successors(definition: AslDefinition, from: string): Set<string> {
  const states = definition.States;
  const seen = new Set<string>();
  const queue = [...nextOf(states[from])];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...nextOf(states[name]));
  }
  return seen;
}

function nextOf(state: AslState | undefined): string[] {
  if (!state) return [];
  return [state.Next, state.Default, ...(state.Choices ?? []).map((choice) => choice.Next)].filter(
    (name): name is string => typeof name === 'string',
  );
}
