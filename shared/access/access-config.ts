/**
 * The stage's access settings (docs/access.md): the default for courses and lessons whose
 * course.yaml says nothing, the bounds of a grant's lifetime, the origins allowed to read the CDN
 * with credentials, and the cookies' domain. Parsed once by `parseAccessConfig` (called from
 * shared/runtime/config.ts).
 */
import { ACCESS_MODES, type AccessMode } from './access-policy.js';
import { ConfigError } from '../contract/errors.js';

export interface AccessConfig {
  /** `LECTERN_ACCESS`: `public` (today's behaviour, the default) or `signed` (prod). */
  stageDefault: AccessMode;
  /** Grants last at least this long (`LECTERN_GRANT_MIN_TTL_SECONDS`, default 60). */
  minGrantTtlSeconds: number;
  /** … and at most this long (`LECTERN_GRANT_MAX_TTL_SECONDS`, default 12 h). */
  maxGrantTtlSeconds: number;
  /** `LECTERN_CORS_ORIGINS`: comma-separated origins of the platform's players; empty: `*` (public stages only). */
  corsOrigins: string[];
  /** `LECTERN_COOKIE_DOMAIN`: the cookies' Domain (e.g. `.example.com`); absent: the CDN's host. */
  cookieDomain?: string;
}

type Env = Record<string, string | undefined>;

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

export function parseAccessConfig(env: Env): AccessConfig {
  const problems: string[] = [];
  const mode = env.LECTERN_ACCESS || 'public';
  if (!(ACCESS_MODES as readonly string[]).includes(mode)) problems.push(`LECTERN_ACCESS: "${mode}" is not ${ACCESS_MODES.map((m) => `"${m}"`).join(' or ')}`);
  const seconds = (name: string, fallback: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number <= 0) problems.push(`${name}: "${value}" is not a positive whole number of seconds`);
    return Number.isInteger(number) && number > 0 ? number : fallback;
  };
  const minGrantTtlSeconds = seconds('LECTERN_GRANT_MIN_TTL_SECONDS', 60);
  const maxGrantTtlSeconds = seconds('LECTERN_GRANT_MAX_TTL_SECONDS', 12 * 3600);
  if (minGrantTtlSeconds > maxGrantTtlSeconds) problems.push(`LECTERN_GRANT_MIN_TTL_SECONDS (${minGrantTtlSeconds}) is above LECTERN_GRANT_MAX_TTL_SECONDS (${maxGrantTtlSeconds})`);
  const corsOrigins = (env.LECTERN_CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter((origin) => origin !== '');
  for (const origin of corsOrigins) {
    if (!ORIGIN.test(origin)) problems.push(`LECTERN_CORS_ORIGINS: "${origin}" is not an origin such as https://learn.example.com (scheme, host, optional port; no path, no *)`);
  }
  const cookieDomain = env.LECTERN_COOKIE_DOMAIN || undefined;
  if (cookieDomain !== undefined && !/^\.?[a-z0-9.-]+$/i.test(cookieDomain)) problems.push(`LECTERN_COOKIE_DOMAIN: "${cookieDomain}" is not a domain such as .example.com`);
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return { stageDefault: mode as AccessMode, minGrantTtlSeconds, maxGrantTtlSeconds, corsOrigins, ...(cookieDomain ? { cookieDomain } : {}) };
}

/**
 * The `Access-Control-Allow-Origin` (and credentials) answer for a request from `origin`: only a
 * configured origin is echoed, with credentials, so its player can send the signed cookies. With
 * no origins configured, a public stage answers `*` (today's behaviour) and a signed one nothing.
 */
export function corsHeaders(config: AccessConfig, origin: string | undefined): Record<string, string> {
  if (config.corsOrigins.length === 0) return config.stageDefault === 'public' ? { 'access-control-allow-origin': '*' } : {};
  if (!origin || !config.corsOrigins.includes(origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}
