/**
 * `npm run build:asl`: writes each `state-machines/<name>.asl.json` — the file CloudFormation
 * deploys and the local orchestrator runs — from its source, `state-machines/src/<name>.json`,
 * where a Task state names its retry policy (`"Retry": "lambda-task"`) instead of repeating the
 * blocks. The policies are defined once, in `state-machines/src/retry-policies.json`.
 * `tests/infra/asl.test.ts` fails when a generated file is not what its source builds.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const STATE_MACHINES = path.dirname(fileURLToPath(import.meta.url));
const SOURCES = path.join(STATE_MACHINES, 'src');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface RetryPolicies {
  blocks: Record<string, Json>;
  policies: Record<string, string[]>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Every state of a definition, at any depth (Parallel branches, Map processors). */
function* states(definition: { States?: Record<string, Record<string, Json>> }): Generator<[string, Record<string, Json>]> {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    yield [name, state];
    for (const branch of (state.Branches as Array<{ States: Record<string, Record<string, Json>> }> | undefined) ?? []) yield* states(branch);
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, Record<string, Json>> } | undefined;
    if (processor) yield* states(processor);
  }
}

/** The definition with every named retry policy replaced by its blocks. */
export function expandRetryPolicies<T extends object>(source: T, retry: RetryPolicies): T {
  const definition = structuredClone(source);
  for (const [name, state] of states(definition as { States?: Record<string, Record<string, Json>> })) {
    if (typeof state.Retry !== 'string') continue;
    const policy = retry.policies[state.Retry];
    if (!policy) throw new Error(`State ${name}: no retry policy "${state.Retry}" in src/retry-policies.json (known: ${Object.keys(retry.policies).join(', ')}).`);
    state.Retry = policy.map((block) => {
      const retrier = retry.blocks[block];
      if (retrier === undefined) throw new Error(`Retry policy "${state.Retry}" lists "${block}", which src/retry-policies.json does not define.`);
      return structuredClone(retrier);
    });
  }
  return definition;
}

/** JSON as the committed files hold it: two-space indent, non-ASCII as \u escapes. */
function format(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Generated file name → the text its source builds. */
export function buildAsl(): Map<string, string> {
  const retry = readJson<RetryPolicies>(path.join(SOURCES, 'retry-policies.json'));
  const built = new Map<string, string>();
  for (const name of readdirSync(SOURCES).sort()) {
    if (!name.endsWith('.json') || name === 'retry-policies.json') continue;
    const definition = expandRetryPolicies(readJson<object>(path.join(SOURCES, name)), retry);
    built.set(name.replace(/\.json$/, '.asl.json'), format(definition));
  }
  return built;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [name, text] of buildAsl()) {
    writeFileSync(path.join(STATE_MACHINES, name), text);
    console.log(`state-machines/${name}`);
  }
}
