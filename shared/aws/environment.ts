/**
 * The Lambda container's configuration, parsed once. Each `shared/aws/*` module builds one
 * dependency from it, so a function's bundle holds only the AWS clients that function uses.
 */
import { parseConfig, type LecternConfig } from '../runtime/config.js';
import { ConfigError } from '../contract/errors.js';

let config: LecternConfig | undefined;

export function lambdaEnv(): Record<string, string | undefined> {
  return process.env;
}

export function lambdaConfig(): LecternConfig {
  config ??= parseConfig(lambdaEnv());
  return config;
}

/** One instance per container, built on first use. */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

export function required(value: string | undefined, name: string): string {
  if (!value) throw new ConfigError(`${name} is not set for this function (see serverless.yml and docs/deploy.md).`);
  return value;
}
