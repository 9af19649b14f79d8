/**
 * The local stack's CloudFront key pair: generated once per state folder (`<state>/cdn-keys.json`,
 * readable by its owner only) and then reused, so cookies granted by `lectern grant --local` keep
 * working across `lectern dev` restarts. The twin trusts its public half; the grant signs with
 * the private half — the same roles as the stack's key group and its Secrets Manager secret.
 */
import { createHash, generateKeyPair } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SigningKey } from '../shared/ports/cookie-signer.js';
import { ConfigError } from '../shared/contract/errors.js';

export interface LocalKeyPair extends SigningKey {
  publicKeyPem: string;
}

export function localKeyFile(stateDir: string): string {
  return path.join(stateDir, 'cdn-keys.json');
}

export async function loadOrCreateLocalKeys(stateDir: string): Promise<LocalKeyPair> {
  const file = localKeyFile(stateDir);
  const existing = await readKeys(file);
  if (existing) return existing;
  // Off the main thread (libuv's pool): a new state folder's database opens meanwhile.
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keys: LocalKeyPair = {
    // CloudFront's ids are 14 upper-case letters and digits; a local one says where it is from.
    keyPairId: `KLOCAL${createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 8).toUpperCase()}`,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem,
  };
  // Written whole under a temporary name, then linked into place: a concurrent reader never sees
  // half a file, and link() fails if another process got there first.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(temporary, file);
    return keys;
  } catch (error) {
    // Another process of this state folder wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readKeys(file);
      if (theirs) return theirs;
    }
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function readKeys(file: string): Promise<LocalKeyPair | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const keys = JSON.parse(text) as Partial<LocalKeyPair>;
  if (typeof keys.keyPairId !== 'string' || typeof keys.privateKeyPem !== 'string' || typeof keys.publicKeyPem !== 'string') {
    throw new ConfigError(`${file} is not a lectern key pair (keyPairId, privateKeyPem, publicKeyPem): delete it and a new one is generated (cookies granted with the old one stop working).`);
  }
  return keys as LocalKeyPair;
}
