/** `lectern preview`: the preview page as static files, from the local published tree or a stage's bucket. */
import { S3Client } from '@aws-sdk/client-s3';
import path from 'node:path';
import { FsObjectStore } from '../../shared/adapters/fs-object-store.js';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.js';
import { createDatabase, type LecternDb } from '../../shared/db/open-database.js';
import { openStateFolder, type OpenedStateFolder } from '../../local/state-folder.js';
import { buildStaticPreview } from '../../local/preview/static-build.js';
import { chooseTarget, COMMON_OPTIONS, parse, TARGET_OPTIONS, UsageError } from '../args.js';

export const PREVIEW_USAGE = `lectern preview (--local | --stage <stage>) --out <dir> [--bucket <bucket>] [--cdn-base-url <url>] [--state-dir <dir>]

  Writes the preview page (courses → lessons → files, as students see them, with each upload's
  status) as static files into <dir>; open <dir>/index.html or serve the folder.
  --local     the local published tree and database (<state-dir>); the published files are copied
              into <dir>, so the folder is self-contained.
  --stage     the stage's published bucket (--bucket or PUBLISHED_BUCKET; AWS credentials from the
              environment); links point at the CDN (--cdn-base-url or CDN_BASE_URL, else the URLs
              in the manifests). Statuses need the stage's database: DATABASE_URL or
              --database-url; without it the page shows published content only.`;

export async function previewCommand(args: string[], out: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    ...TARGET_OPTIONS,
    out: { type: 'string' },
    bucket: { type: 'string' },
    'cdn-base-url': { type: 'string' },
  });
  if (values.help) {
    out.write(`${PREVIEW_USAGE}\n`);
    return 0;
  }
  chooseTarget(values);
  if (!values.out) throw new UsageError('Say where to write the page: --out <dir>.');
  const databaseUrl = values['database-url'] ?? env.DATABASE_URL;

  let db: LecternDb | undefined;
  let folder: OpenedStateFolder | undefined;
  try {
    if (values.local) {
      const stateDir = path.resolve(values['state-dir']);
      // The state folder's database: this process's, or that of the command that has it open.
      folder = await openStateFolder({ command: 'lectern preview', stateDir, ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) });
      const target = `--local${values['state-dir'] === '.lectern' ? '' : ` --state-dir ${values['state-dir']}`}`;
      const cdnBase = values['cdn-base-url'];
      const result = await buildStaticPreview({
        published: new FsObjectStore(path.join(stateDir, 'published'), { bucket: 'lectern-local-published' }),
        db: folder.work.db,
        out: values.out,
        mode: 'local',
        urlBase: cdnBase ?? '.',
        copyPublished: cdnBase === undefined,
        replayCommand: (row) => `lectern replay ${target} --execution ${row.execution_id ?? row.id}`,
      });
      out.write(`${summary(result.catalog, result.index)}${result.copied ? `; ${result.copied} published file(s) copied` : ''}\n`);
      return 0;
    }

    const stage = values.stage as string;
    const bucket = values.bucket ?? env.PUBLISHED_BUCKET;
    if (!bucket) throw new UsageError(`--stage ${stage} needs the published bucket: --bucket <bucket> or PUBLISHED_BUCKET.`);
    const cdnBase = values['cdn-base-url'] ?? env.CDN_BASE_URL;
    if (cdnBase && !/^https?:\/\//.test(cdnBase)) throw new UsageError(`--cdn-base-url must be an http(s) URL, not "${cdnBase}".`);
    if (databaseUrl) db = await createDatabase({ url: databaseUrl });
    const result = await buildStaticPreview({
      published: new S3ObjectStore(new S3Client({}), bucket),
      ...(db ? { db } : {}),
      out: values.out,
      mode: 'stage',
      stage,
      ...(cdnBase ? { urlBase: cdnBase } : {}),
      replayCommand: (row) => `lectern replay --stage ${stage} --execution ${row.execution_id ?? row.id}`,
    });
    out.write(`${summary(result.catalog, result.index)}${db ? '' : ' (published content only: set DATABASE_URL for statuses)'}\n`);
    return 0;
  } finally {
    await db?.destroy();
    await folder?.close();
  }
}

function summary(catalog: Awaited<ReturnType<typeof buildStaticPreview>>['catalog'], index: string): string {
  const lessons = catalog.courses.reduce((n, c) => n + c.lessons.length, 0);
  const files = catalog.courses.reduce((n, c) => n + c.lessons.reduce((m, l) => m + l.assets.length, 0), 0);
  return `lectern: wrote ${index} — ${catalog.courses.length} course(s), ${lessons} lesson(s), ${files} file(s)`;
}
