import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LecternError } from '../shared/contract/errors.js';

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends LecternError {
  readonly code = 'cli.usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }));
  }
}

/** Node's parseArgs messages, said plainly (its unknown-option hint has unbalanced quotes). */
function usageMessage(error: Error & { code?: string }): string {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `Unknown option "${option}".`;
  return error.message.replace(/'/g, '"');
}

export const COMMON_OPTIONS = {
  'state-dir': { type: 'string', default: '.lectern' },
  'database-url': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The options of a command that acts on the local stack or on a deployed stage. */
export const TARGET_OPTIONS = {
  local: { type: 'boolean', default: false },
  stage: { type: 'string' },
} as const;

export type Target = { local: true } | { local: false; stage: string };

/** Which stack a command acts on: exactly one of --local and --stage <stage>. */
export function chooseTarget(values: { local?: boolean | undefined; stage?: string | undefined }): Target {
  if (values.local === Boolean(values.stage)) throw new UsageError('Say which: --local, or --stage <stage>.');
  return values.stage ? { local: false, stage: values.stage } : { local: true };
}
