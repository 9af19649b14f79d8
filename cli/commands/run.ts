/** `lectern run <file-or-folder>… [--json]`: process uploads once through the local pipeline. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseUploadKey } from '../../shared/upload-key.js';
import { COMMON_OPTIONS, parse } from '../args.js';
import { collectUploads } from '../collect-uploads.js';
import { formatSummary } from '../format.js';
import { openLocalStack, type UploadResult } from '../../local/local-stack.js';

export const RUN_USAGE = `lectern run <file-or-folder>... [--course <c> --lesson <l>] [--json] [--state-dir <dir>] [--concurrency <n>]

  Runs each file through the publish-content state machine with the local twins and prints
  what happened. A folder is laid out as courses/<course>/lessons/<lesson>/<file>.
  Exit code: 0 when every upload was published, 1 when any was rejected or failed, 2 on usage errors.`;

export async function runCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, {
    ...COMMON_OPTIONS,
    json: { type: 'boolean', default: false },
    course: { type: 'string' },
    lesson: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
  });
  if (values.help) {
    out.write(`${RUN_USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new (await import('../args.js')).UsageError('Name at least one file or folder to run.');
  const collected = await collectUploads(positionals, {
    ...(values.course ? { course: values.course } : {}),
    ...(values.lesson ? { lesson: values.lesson } : {}),
  });
  let uploads = collected.uploads;
  for (const s of collected.skipped) err.write(`lectern: skipped ${s.file} (${s.why})\n`);

  const stack = await openLocalStack({ stateDir: values['state-dir'], ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) });
  // Without ffmpeg the local transcoder cannot run. Videos found in a folder (the demo, a course
  // tree) are skipped with a note; a video named on the command line is run, and fails saying so.
  const explicit = new Set(positionals.map((p) => path.resolve(p)));
  const folderMedia = uploads.filter((u) => !explicit.has(path.resolve(u.file)) && isMediaKey(u.key));
  if (folderMedia.length > 0 && !stack.transcoder.available()) {
    for (const m of folderMedia) err.write(`lectern: skipped ${m.file} (video and audio need ffmpeg for the local transcoder: apt-get install ffmpeg)\n`);
    uploads = uploads.filter((u) => !folderMedia.includes(u));
  }
  const results: UploadResult[] = new Array(uploads.length);
  try {
    let next = 0;
    const concurrency = Math.max(1, Number.parseInt(values.concurrency, 10) || 1);
    const worker = async () => {
      while (next < uploads.length) {
        const index = next++;
        const planned = uploads[index]!;
        results[index] = await runOne(stack, planned.key, planned.file);
        if (!values.json) err.write(`lectern: ${results[index]!.status} ${planned.key}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, uploads.length) }, worker));
  } finally {
    await stack.close();
  }
  out.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : `${formatSummary(results)}\n`);
  return results.every((r) => r.status === 'published') ? 0 : 1;
}

async function runOne(stack: Awaited<ReturnType<typeof openLocalStack>>, key: string, file: string): Promise<UploadResult> {
  const started = Date.now();
  try {
    return await stack.upload(key, new Uint8Array(await readFile(file)));
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

function isMediaKey(key: string): boolean {
  try {
    const kind = parseUploadKey(key).kind;
    return kind === 'video' || kind === 'audio';
  } catch {
    return false;
  }
}
