/**
 * Calls a stage's grant endpoint (`POST <function URL>/grants`) with SigV4 — what a platform's
 * Node backend does (docs/access.md shows the same few lines). Credentials and region come from
 * the SDK's default chain (environment, profile, SSO, instance role), through a Lambda client.
 */
import { createHash, createHmac } from 'node:crypto';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Grant, GrantRequest } from '../use-cases/grant-access.js';
import { ConfigError, DependencyUnavailableError } from '../contract/errors.js';

/** SHA-256 (HMAC when given a secret) for the signer, on node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

export async function requestGrant(grantUrl: string, request: GrantRequest): Promise<Grant> {
  const client = new LambdaClient({});
  const signer = new SignatureV4({ service: 'lambda', region: await client.config.region(), credentials: client.config.credentials, sha256: Sha256 });
  const url = new URL('grants', grantUrl.endsWith('/') ? grantUrl : `${grantUrl}/`);
  const body = JSON.stringify(request);
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  const response = await fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  // A body that is not JSON (a proxy's HTML error page): the status below says what went wrong.
  const answer = (await response.json().catch(() => ({}))) as Grant & { error?: string; message?: string };
  if (!response.ok) {
    const message = `The grant endpoint answered ${response.status}: ${answer.error ?? answer.message ?? response.statusText}`;
    // Busy or down: try again later. Refused (wrong URL, credentials or request): fix the call.
    if (response.status >= 500 || response.status === 429) throw new DependencyUnavailableError(message);
    throw new ConfigError(message);
  }
  return answer;
}
