/**
 * One local stack per state folder, shared by every command. The first `lectern` command to open
 * a folder owns it (the embedded database, the executions) and serves its local API; every other
 * command on that folder while it runs sends its work there (`local-api.ts`). `lectern dev` serves
 * the API on its own port, beside the preview; other owners on a free 127.0.0.1 port.
 */
import type { Server } from 'node:http';
import { http } from './node-http.js';
import path from 'node:path';
import { LocalExecutionControl } from './local-execution-control.js';
import { localApiRoutes, OwnerClient, remoteWork, type LocalWork } from './local-api.js';
import { openLocalStack, type LocalStack, type LocalStackOptions } from './local-stack.js';
import { replayExecutions } from '../shared/use-cases/replay-executions.js';
import { reconcile } from '../shared/use-cases/reconcile.js';
import { claimStateFolder, newToken, readOwner, type StateFolderOwner } from './state-folder-lock.js';
import { processAlive } from './process-alive.js';
import { LecternError } from '../shared/contract/errors.js';

export interface OpenedStateFolder {
  work: LocalWork;
  /** Who does the work: this process, or the command it talks to. */
  owner: StateFolderOwner;
  owned: boolean;
  close(): Promise<void>;
}

export interface OpenOptions extends LocalStackOptions {
  /** What the user ran, e.g. `lectern run`: shown to the other commands. */
  command: string;
  /** How long to keep trying to reach an owner that is starting or stopping (default 60 s). */
  connectTimeoutMs?: number;
}

/** The work a process that owns the folder does itself. */
export function ownWork(stack: LocalStack): LocalWork {
  return {
    db: stack.db,
    upload: (key, bytes) => stack.upload(key, bytes),
    replay: (options) => replayExecutions(new LocalExecutionControl(stack.orchestrator), options),
    reconcile: async (options) => (await reconcile({}, stack.deps, options)).findings,
    transcoderAvailable: async () => stack.transcoder.available(),
  };
}

/**
 * Opens `options.stateDir` for a command other than `lectern dev`: owns it if nobody does (and
 * serves the API for the commands that come while it works), else talks to its owner.
 */
export async function openStateFolder(options: OpenOptions): Promise<OpenedStateFolder> {
  const stateDir = path.resolve(options.stateDir);
  const deadline = Date.now() + (options.connectTimeoutMs ?? 60_000);
  for (;;) {
    // Listen first, so the address in owner.json answers as soon as it is written; requests wait
    // for the stack.
    let routes!: (value: ReturnType<typeof localApiRoutes>) => void;
    const ready = new Promise<ReturnType<typeof localApiRoutes>>((resolve) => (routes = resolve));
    const server = http.createServer((request, response) => {
      void ready
        .then((handle) => handle(request, response, new URL(request.url ?? '/', 'http://127.0.0.1')))
        .then((handled) => {
          if (!handled) response.writeHead(404).end();
        });
    });
    const api = await listen(server);
    const claim = await claimStateFolder(stateDir, { command: options.command, api, token: newToken() });
    if (claim.owned) {
      try {
        const stack = await openLocalStack({ ...options, stateDir });
        const work = ownWork(stack);
        routes(localApiRoutes({ work, owner: claim.owner }));
        return {
          work,
          owner: claim.owner,
          owned: true,
          async close() {
            await claim.release();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await stack.close();
          },
        };
      } catch (error) {
        await claim.release();
        server.close();
        throw error;
      }
    }
    server.close();
    const client = new OwnerClient(claim.owner);
    try {
      await client.request('GET', 'hello');
      const work = remoteWork(client);
      return { work, owner: claim.owner, owned: false, close: () => work.db.destroy() };
    } catch (error) {
      client.close();
      // Starting (dev claims before it listens) or stopping: try again until the deadline.
      if (!isRefused(error) || Date.now() > deadline) throw unreachable(claim.owner, stateDir, error as Error);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Owns `stateDir` for `lectern dev` (its API served by dev's own server at `api`). While another
 * command owns it, waits for it to finish; another `lectern dev` on it is an error saying where it is.
 */
export async function ownStateFolder(
  options: LocalStackOptions & { command: string; api: string; onWait?: (owner: StateFolderOwner) => void },
): Promise<{ stack: LocalStack; work: LocalWork; owner: StateFolderOwner; release(): Promise<void> }> {
  const stateDir = path.resolve(options.stateDir);
  let told = false;
  for (;;) {
    const claim = await claimStateFolder(stateDir, { command: options.command, api: options.api, token: newToken() });
    if (claim.owned) {
      try {
        const stack = await openLocalStack({ ...options, stateDir });
        return { stack, work: ownWork(stack), owner: claim.owner, release: claim.release };
      } catch (error) {
        await claim.release();
        throw error;
      }
    }
    if (claim.owner.command === options.command) {
      throw new FolderInUseError(`${claim.owner.command} (pid ${claim.owner.pid}) is already serving ${stateDir} at ${claim.owner.api}: open that, or stop it first.`);
    }
    if (!told) options.onWait?.(claim.owner);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Whether a live command owns `stateDir` (for messages). */
export async function currentOwner(stateDir: string): Promise<StateFolderOwner | undefined> {
  const owner = await readOwner(path.resolve(stateDir));
  return owner && processAlive(owner.pid) ? owner : undefined;
}

export class FolderInUseError extends LecternError {
  readonly code = 'state-folder.in-use';
  constructor(message: string) {
    super(message);
    this.name = 'FolderInUseError';
  }
}

function unreachable(owner: StateFolderOwner, stateDir: string, error: Error): Error {
  return new FolderInUseError(
    `${stateDir} is open in ${owner.command} (pid ${owner.pid}), whose local API at ${owner.api} did not answer (${error.message}). ` +
      `Wait for it to finish, or stop it, and run this again.`,
  );
}

function isRefused(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET';
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
}
