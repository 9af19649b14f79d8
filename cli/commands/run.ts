/** `lectern run <file-or-folder>… [--json]`: process uploads once through the local pipeline. */
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SYNC_MAX_BYTES } from '../../shared/adapters/fs-object-store.js';
import { parseUploadKey } from '../../shared/contract/upload-key.js';
import { setWasmTiering } from '../../shared/db/open-database.js';
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { collectUploads, type PlannedUpload } from '../collect-uploads.js';
import { formatSummary } from '../format.js';
import { createProgress, painter, type Progress, type ProgressStream } from '../progress.js';
import { DEFAULT_PORT, type UploadResult } from '../../local/local-stack.js';
import type { LocalWork } from '../../local/local-api.js';
import { loadTranscodeProgress } from '../../local/preview/load-catalog.js';
import { openStateFolder } from '../../local/state-folder.js';
import type { StateFolderOwner } from '../../local/state-folder-lock.js';

export const RUN_USAGE = `lectern run <file-or-folder>... [--course <c> --lesson <l>] [--json] [--verbose] [--state-dir <dir>] [--concurrency <n>]

  Runs each file through the publish-content state machine with the local twins and prints
  what happened. A folder is laid out as courses/<course>/lessons/<lesson>/<file>. On a terminal
  a live line shows done/total, rejected, failed, elapsed time, time left and each video's
  transcode percentage; elsewhere, one line per upload. The summary lists rejections and
  failures with their reasons and counts the published uploads (--verbose lists each).
  If another command (lectern dev) has the state folder open, the uploads are sent to it.
  Exit code: 0 when every upload was published, 1 when any was rejected or failed, 2 on usage errors.`;

/** Up to this many uploads, PGlite runs on V8's baseline compiler (see setWasmTiering). */
const BASELINE_WASM_UPLOADS = 200;

export async function runCommand(args: string[], out: ProgressStream & NodeJS.WritableStream, err: ProgressStream & NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, {
    ...COMMON_OPTIONS,
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    course: { type: 'string' },
    lesson: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
  });
  if (values.help) {
    out.write(`${RUN_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('Name at least one file or folder to run.');
  const collected = await collectUploads(positionals, {
    ...(values.course ? { course: values.course } : {}),
    ...(values.lesson ? { lesson: values.lesson } : {}),
  });
  let uploads = collected.uploads;
  for (const s of collected.skipped) err.write(`lectern: skipped ${s.file} (${s.why})\n`);
  if (!values.json) err.write(`lectern: ${uploads.length} upload(s) to run; starting the local pipeline…\n`);
  // A short run's database work is too little to pay for V8 optimising PGlite's WebAssembly.
  setWasmTiering(uploads.length <= BASELINE_WASM_UPLOADS ? 'baseline' : 'optimising');

  const folder = await openStateFolder({ command: 'lectern run', stateDir: values['state-dir'], ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) });
  const results: UploadResult[] = [];
  try {
    if (!folder.owned && !values.json) err.write(`lectern: ${values['state-dir']} is open in ${folder.owner.command} (pid ${folder.owner.pid}); sending the uploads there\n`);
    // Without ffmpeg the local transcoder cannot run. Videos found in a folder (the demo, a course
    // tree) are skipped with a note; a video named on the command line is run, and fails saying so.
    const explicit = new Set(positionals.map((p) => path.resolve(p)));
    const folderMedia = uploads.filter((u) => !explicit.has(path.resolve(u.file)) && isMediaKey(u.key));
    if (folderMedia.length > 0 && !(await folder.work.transcoderAvailable())) {
      for (const m of folderMedia) err.write(`lectern: skipped ${m.file} (video and audio need ffmpeg for the local transcoder: apt-get install ffmpeg)\n`);
      uploads = uploads.filter((u) => !folderMedia.includes(u));
    }
    const progress = values.json ? undefined : createProgress(err, uploads.length);
    const watching = progress && err.isTTY ? watchTranscodes(folder.work, uploads, progress) : undefined;
    let next = 0;
    const concurrency = Math.max(1, Number.parseInt(values.concurrency, 10) || 1);
    const worker = async () => {
      while (next < uploads.length) {
        const index = next++;
        const planned = uploads[index]!;
        progress?.started(planned.key);
        results[index] = await runOne(folder.work, planned.key, planned.file);
        progress?.finished(planned.key, results[index]!);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, uploads.length) }, worker));
    } finally {
      await watching?.stop();
      progress?.end();
    }
  } finally {
    await folder.close();
  }
  // Every entry says its kind: "unknown" for an upload rejected before it could be classified.
  const entries = results.map((r) => ({ ...r, kind: r.kind ?? 'unknown' }));
  if (values.json) out.write(`${JSON.stringify(entries, null, 2)}\n`);
  else {
    out.write(`${formatSummary(entries, { verbose: values.verbose, color: painter(out) })}\n`);
    if (entries.some((r) => r.status === 'published')) out.write(`${browseHint(values['state-dir'], folder.owner)}\n`);
  }
  return results.every((r) => r.status === 'published') ? 0 : 1;
}

/** Where to see what was published: the dev server that has the folder, or how to start one. */
function browseHint(stateDir: string, owner: StateFolderOwner): string {
  if (owner.command === 'lectern dev') return `lectern: browse it at ${owner.api}/ (lectern dev is serving ${stateDir})`;
  return `lectern: browse it: npx lectern dev${stateDir === COMMON_OPTIONS['state-dir'].default ? '' : ` --state-dir ${stateDir}`}, then open http://127.0.0.1:${DEFAULT_PORT}/`;
}

/** Polls the transcode percentage of the uploads in flight (a terminal's live line shows it). */
function watchTranscodes(work: LocalWork, uploads: PlannedUpload[], progress: Progress): { stop(): Promise<void> } {
  const media = uploads.filter((u) => isMediaKey(u.key));
  if (media.length === 0) return { stop: async () => undefined };
  let stopped = false;
  const loop = (async () => {
    const keys = media.map((u) => u.key);
    while (!stopped) {
      // The upload's version (so its id) is known once it is in the bucket: find it by key.
      const rows = await work.db.selectFrom('asset_versions').select(['id', 'source_key']).where('source_key', 'in', keys).where('status', '=', 'processing').execute().catch(() => []);
      const ids = new Map(rows.map((r) => [r.id, r.source_key]));
      const byId = await loadTranscodeProgress(work.db);
      progress.transcoding(new Map([...byId].flatMap(([id, percent]) => (ids.has(id) ? [[ids.get(id)!, percent] as const] : []))));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop.catch(() => undefined);
    },
  };
}

async function runOne(work: LocalWork, key: string, file: string): Promise<UploadResult> {
  const started = Date.now();
  try {
    return await work.upload(key, new Uint8Array(await readSource(file)));
  } catch (error) {
    // Even a file the local store cannot hold (an unusable key) gets a verdict, never a crash.
    return {
      key,
      status: 'rejected',
      reasons: [{ code: 'key.invalid', message: `${(error as Error).message}. Rename the file or folder and run it again.` }],
      warnings: [],
      assetVersionId: '',
      durationMs: Date.now() - started,
    };
  }
}

/**
 * The file's bytes: a small one read synchronously, as the local store writes it (a read through
 * the thread pool costs a FileHandle, promises and thread hops: ~0.2 ms of CPU an upload in a busy
 * lesson); a large one (a video) through the pool, so the other uploads go on meanwhile.
 */
async function readSource(file: string): Promise<Buffer> {
  return statSync(file).size <= SYNC_MAX_BYTES ? readFileSync(file) : readFile(file);
}

function isMediaKey(key: string): boolean {
  try {
    const kind = parseUploadKey(key).kind;
    return kind === 'video' || kind === 'audio';
  } catch {
    return false;
  }
}
