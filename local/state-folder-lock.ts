/**
 * One owner per state folder. The embedded database (PGlite) and the execution records can only
 * be opened by one process: the first `lectern` command to open a folder writes
 * `<state-dir>/owner.json` (its pid, what it is and where its local API listens, with a secret the
 * others present) and every other command sends its work there instead of opening the folder.
 *
 * The file is created whole or not at all (written aside, then hard-linked into place, which fails
 * if it exists), so two commands starting together never both own the folder. An owner that died
 * without removing it (kill -9, a crash) is detected by its pid and replaced.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InternalError } from '../shared/contract/errors.js';
import { processAlive } from './process-alive.js';

export interface StateFolderOwner {
  pid: number;
  /** What owns it, as the user typed it: `lectern dev`, `lectern run`. */
  command: string;
  /** The owner's local API, e.g. http://127.0.0.1:4321. */
  api: string;
  /** Presented by the other commands in `authorization: Bearer …`; the file is readable by its user only. */
  token: string;
  startedAt: string;
}

export type Claim = { owned: true; owner: StateFolderOwner; release(): Promise<void> } | { owned: false; owner: StateFolderOwner };

export const OWNER_FILE = 'owner.json';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** Claims `stateDir` for this process, or says which live process holds it. */
export async function claimStateFolder(stateDir: string, me: Omit<StateFolderOwner, 'pid' | 'startedAt'>): Promise<Claim> {
  await mkdir(stateDir, { recursive: true });
  const file = path.join(stateDir, OWNER_FILE);
  const owner: StateFolderOwner = { pid: process.pid, startedAt: new Date().toISOString(), ...me };
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(aside, `${JSON.stringify(owner, null, 2)}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(aside, file);
        return { owned: true, owner, release: () => releaseStateFolder(file, owner) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readOwner(stateDir);
      if (current && processAlive(current.pid)) return { owned: false, owner: current };
      await removeStale(file, current);
    }
    throw new InternalError(`Could not claim ${stateDir}: ${file} keeps changing. Is another lectern command starting there? Try again.`, { code: 'state-folder.contended' });
  } finally {
    await rm(aside, { force: true });
  }
}

/** The live owner of `stateDir`, if any. */
export async function readOwner(stateDir: string): Promise<StateFolderOwner | undefined> {
  const text = await readFile(path.join(stateDir, OWNER_FILE), 'utf8').catch(absent);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as StateFolderOwner;
  } catch {
    // Half-written by a process that died mid-write (the link makes that impossible for ours).
    return { pid: 0, command: 'unknown', api: '', token: '', startedAt: '' };
  }
}

/**
 * Moves a dead owner's file aside. Two commands may find the same stale file: the one whose
 * rename loses finds nothing (ENOENT) or, if the winner already linked its own, moves that back.
 */
async function removeStale(file: string, stale: StateFolderOwner | undefined): Promise<void> {
  const grave = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, grave);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = JSON.parse((await readFile(grave, 'utf8').catch(absent)) ?? '{}') as Partial<StateFolderOwner>;
  if (moved.pid !== stale?.pid || moved.startedAt !== stale?.startedAt) {
    // Not the stale file we looked at: a live owner's, just linked. Put it back.
    await link(grave, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // EEXIST: yet another owner got there first; it stays
    });
  }
  await rm(grave, { force: true });
}

async function releaseStateFolder(file: string, owner: StateFolderOwner): Promise<void> {
  const text = await readFile(file, 'utf8').catch(absent);
  if (text === undefined) return;
  const current = JSON.parse(text) as StateFolderOwner;
  if (current.pid === owner.pid && current.token === owner.token) await rm(file, { force: true });
}

/** A file that is not there reads as undefined; any other failure to read it is thrown. */
function absent(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
