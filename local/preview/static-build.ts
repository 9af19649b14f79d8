/**
 * `lectern preview --out <dir>`: the preview page as static files — `index.html`, its scripts,
 * styles and hls.js under `_lectern/`, the catalog in `_lectern/status.json` — built from a
 * published bucket (the local folder, or a stage's S3 bucket) and, when there is one, the database.
 * Quizzes are embedded, so the page needs nothing but the published files it links to; a local
 * build also copies those (`copyPublished`), making the folder self-contained.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LecternDb } from '../../shared/db/database.js';
import type { StatusRow } from '../../shared/db/status-repository.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { PreviewCatalog } from './catalog.js';
import { loadPreviewCatalog } from './load-catalog.js';
import { previewFiles } from './bundle.js';
import { contentSecurityPolicy, renderPage } from './page.js';

export interface StaticBuildOptions {
  published: ObjectStore;
  db?: LecternDb;
  out: string;
  mode: 'local' | 'stage';
  stage?: string;
  /** See `CatalogInput.urlBase`; `'.'` when the published files are copied next to the page. */
  urlBase?: string;
  replayCommand?: (row: StatusRow) => string;
  /** Copy each current version's published files into the output folder. */
  copyPublished?: boolean;
}

export interface StaticBuild {
  catalog: PreviewCatalog;
  index: string;
  /** Published files copied. */
  copied: number;
}

export async function buildStaticPreview(options: StaticBuildOptions): Promise<StaticBuild> {
  const out = path.resolve(options.out);
  const catalog = await loadPreviewCatalog({
    published: options.published,
    ...(options.db ? { db: options.db } : {}),
    source: { mode: options.mode, ...(options.stage ? { stage: options.stage } : {}), live: false },
    ...(options.urlBase !== undefined ? { urlBase: options.urlBase } : {}),
    ...(options.replayCommand ? { replayCommand: options.replayCommand } : {}),
    embedQuizzes: true,
    listBucket: true,
  });
  await inlineCaptions(catalog, options.published);
  await mkdir(path.join(out, '_lectern', 'vendor'), { recursive: true });
  for (const [name, { body }] of Object.entries(await previewFiles())) await writeFile(path.join(out, '_lectern', name), body);
  await writeFile(path.join(out, '_lectern', 'status.json'), `${JSON.stringify(catalog, null, 2)}\n`);

  let copied = 0;
  if (options.copyPublished) {
    for (const course of catalog.courses) {
      for (const lesson of course.lessons) {
        for (const asset of lesson.assets) {
          if (!asset.published) continue;
          const prefix = `courses/${course.slug}/lessons/${lesson.slug}/${asset.fileName}/${asset.published.version}/`;
          for (const key of await options.published.list(prefix)) {
            const target = path.resolve(out, key);
            if (!target.startsWith(`${out}${path.sep}`)) continue;
            const bytes = await options.published.get(key);
            if (!bytes) continue;
            await mkdir(path.dirname(target), { recursive: true });
            await writeFile(target, bytes);
            copied++;
          }
        }
      }
    }
  }

  const origins = new Set<string>();
  for (const course of catalog.courses) {
    for (const lesson of course.lessons) {
      for (const asset of lesson.assets) {
        const url = asset.published?.url;
        if (url && /^https?:\/\//i.test(url)) origins.add(new URL(url).origin);
      }
    }
  }
  // A relative build may be opened from file://, where 'self' means nothing: no CSP there.
  const csp = origins.size > 0 ? contentSecurityPolicy([...origins]) : undefined;
  const index = path.join(out, 'index.html');
  await writeFile(index, renderPage({ catalog, live: false, ...(csp ? { csp } : {}) }));
  return { catalog, index, copied };
}

/**
 * Browsers load no `<track>` from `file://` (nor from another origin without CORS): a static page
 * carries its videos' captions inline, as `data:` URLs, so they show however the page is opened.
 */
async function inlineCaptions(catalog: PreviewCatalog, published: ObjectStore): Promise<void> {
  for (const course of catalog.courses) {
    for (const lesson of course.lessons) {
      for (const asset of lesson.assets) {
        for (const track of asset.published?.captions ?? []) {
          const key = decodeURIComponent(new URL(track.url, 'http://lectern.invalid/').pathname).replace(/^\/+/, '');
          const bytes = await published.get(key);
          if (bytes) track.url = `data:text/vtt;charset=utf-8;base64,${Buffer.from(bytes).toString('base64')}`;
        }
      }
    }
  }
}
