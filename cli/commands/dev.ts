/**
 * `lectern dev`: watch `<state-dir>/uploads/`, process each new or changed file through the
 * local pipeline, serve the published tree and a catalog on 127.0.0.1, log progress.
 */
import path from 'node:path';
import { assetVersionId, sourceOf } from '../../shared/contract/asset-version.js';
import { localApiRoutes } from '../../local/local-api.js';
import { DEFAULT_PORT } from '../../local/local-stack.js';
import { PREVIEW_GRANT_TTL_SECONDS, previewRoutes } from '../../local/preview/routes.js';
import { grantAccess } from '../../shared/use-cases/grant-access.js';
import { ownStateFolder } from '../../local/state-folder.js';
import { startStaticServer } from '../../local/static-server.js';
import { UploadWatcher } from '../../local/upload-watcher.js';
import { COMMON_OPTIONS, parse } from '../args.js';
import { formatReason } from '../format.js';
import type { UploadResult } from '../../local/local-stack.js';

export const DEV_USAGE = `lectern dev [--port <port>] [--state-dir <dir>] [--poll-ms <ms>] [--rescan-ms <ms>]

  Watches <state-dir>/uploads/ (create courses/<course>/lessons/<lesson>/<file> under it),
  processes every new file, and serves the published tree and the preview page (courses, lessons
  and files as students see them, with live statuses) on http://127.0.0.1:<port>. Files it has
  already handled are not processed again. While it runs, the other commands on the same state
  folder (status, run, replay, reconcile, preview --local) send their work to it.
  --poll-ms   how often it looks at the folders where files changed (default 500); it learns which
              from the file system's events, so a look costs what changed, not the whole folder.
  --rescan-ms how often it lists the whole folder all the same (default 30000), for what events
              miss (a network drive); without events every look lists the whole folder.
  --verbose   also print each step of each execution.`;

/** Where uploads go in the bucket (courses/<course>/lessons/<lesson>/<file>). */
const UPLOADS_PREFIX = 'courses/';

export async function devCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    port: { type: 'string', default: String(DEFAULT_PORT) },
    'poll-ms': { type: 'string', default: '500' },
    'rescan-ms': { type: 'string', default: '30000' },
    verbose: { type: 'boolean', default: false },
  });
  if (values.help) {
    out.write(`${DEV_USAGE}\n`);
    return 0;
  }
  const port = Number.parseInt(values.port, 10);
  const baseUrl = `http://127.0.0.1:${port}`;
  const { stack, work, owner, release } = await ownStateFolder({
    command: 'lectern dev',
    api: baseUrl,
    stateDir: values['state-dir'],
    baseUrl,
    ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
    ...(values.verbose
      ? {
          onEvent: (execution, event) => {
            if (event.type === 'StateEntered') out.write(`lectern: ${execution} → ${event.state}\n`);
            if (event.type === 'StateRetried') out.write(`lectern: ${execution} retrying ${event.state}\n`);
          },
        }
      : {}),
    onWait: (other) => out.write(`lectern: ${values['state-dir']} is open in ${other.command} (pid ${other.pid}); waiting for it to finish\n`),
  });
  const report = (key: string, result: UploadResult) => {
    out.write(`lectern: ${result.status} ${key}${result.url ? ` → ${result.url}` : ''}\n`);
    for (const reason of result.reasons) out.write(`lectern:     ${formatReason(reason)}\n`);
  };
  const target = `--local${values['state-dir'] === '.lectern' ? '' : ` --state-dir ${values['state-dir']}`}`;
  const api = localApiRoutes({ work, owner, onUpload: report });
  const signed = stack.cdnAccess.config.stageDefault === 'signed';
  const preview = previewRoutes({
    published: stack.published,
    db: stack.db,
    replayCommand: (row) => `lectern replay ${target} --execution ${row.execution_id ?? row.id}`,
    // What a platform's backend does after checking enrolment; here every visitor of the page is enrolled.
    ...(signed ? { grant: (course: string) => grantAccess({ course, ttlSeconds: Math.min(PREVIEW_GRANT_TTL_SECONDS, stack.cdnAccess.config.maxGrantTtlSeconds) }, stack.deps) } : {}),
  });
  let served: Awaited<ReturnType<typeof startStaticServer>>;
  try {
    served = await startStaticServer({
      root: path.join(stack.stateDir, 'published'),
      db: stack.db,
      port,
      routes: async (request, response, url) => (await api(request, response, url)) || preview(request, response, url),
      access: { ...stack.cdnAccess, onDenied: (denied, reason) => out.write(`lectern: 403 ${denied}: ${reason}\n`) },
    });
  } catch (error) {
    await release();
    await stack.close();
    throw error;
  }
  const { server, url } = served;
  out.write(`lectern: serving ${url}\nlectern: drop files into ${path.join(stack.stateDir, 'uploads')}/courses/<course>/lessons/<lesson>/\n`);

  const seen = new Map<string, string>();
  // A file still being copied changes between scans: process it once it has settled.
  const settling = new Map<string, string>();
  const watcher = new UploadWatcher({
    root: path.join(stack.stateDir, 'uploads'),
    prefix: UPLOADS_PREFIX,
    fullScanMs: Math.max(1000, Number.parseInt(values['rescan-ms'], 10) || 30_000),
  });
  watcher.start();
  let toldDegraded = false;
  /** The uploads to look at now: all of them, or those in the folders that changed, and those still settling. */
  const toLookAt = async (): Promise<string[]> => {
    if (watcher.degraded && !toldDegraded) {
      toldDegraded = true; // at start, or later (a new folder's watch refused)
      out.write(`lectern: no file-system events (${watcher.degraded}): the whole uploads folder is listed at every look\n`);
    }
    const changed = watcher.take();
    const keys = changed.full ? await stack.uploads.list(UPLOADS_PREFIX) : (await Promise.all(changed.prefixes.map((p) => stack.uploads.list(p)))).flat();
    return [...new Set([...keys, ...settling.keys()])];
  };
  let stopping = false;
  const scan = async () => {
    for (const key of await toLookAt()) {
      const head = await stack.uploads.head(key);
      // A version is the file as last written: the same bytes copied in again (a revert) are new.
      if (!head) {
        settling.delete(key); // removed before it settled
        continue;
      }
      const source = sourceOf(stack.uploads.bucket, head);
      const version = source.versionId ?? source.etag;
      if (seen.get(key) === version) continue;
      // Handled before (an earlier dev, `lectern run`, the demo) or being handled: not again.
      if (stack.orchestrator.has(assetVersionId(source))) {
        seen.set(key, version);
        continue;
      }
      const fingerprint = `${head.etag}:${head.size}:${head.lastModified.getTime()}`;
      if (settling.get(key) !== fingerprint) {
        settling.set(key, fingerprint);
        continue;
      }
      settling.delete(key);
      seen.set(key, version);
      out.write(`lectern: received ${key}\n`);
      void stack
        .process(source)
        .then((result) => report(key, result))
        .catch((error: unknown) => err.write(`lectern: ${key}: ${(error as Error).message}\n`));
    }
  };
  const pollMs = Math.max(50, Number.parseInt(values['poll-ms'], 10) || 500);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (!stopping) scan().catch((error: unknown) => err.write(`lectern: ${(error as Error).message}\n`));
    }, pollMs);
    const stop = () => {
      stopping = true;
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  watcher.close();
  await release();
  server.close();
  await stack.close();
  return 0;
}
