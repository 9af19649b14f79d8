/**
 * The preview in `lectern dev`: `/` is the page, `/_lectern/status.json` the live catalog it polls,
 * `/_lectern/*` its scripts, styles and hls.js (from the local install). Everything else is left
 * to the static server (the published tree).
 *
 * On a signed stage, `POST /_lectern/grant` `{ "course": "<slug>" }` is the page's grant endpoint:
 * it answers with the course's signed cookies as `Set-Cookie` (what a platform's backend passes on
 * from the grant API after checking enrolment), so the page's players, PDFs and quizzes under
 * `/courses/<course>/` pass the CDN twin's check. Only the page's own origin may ask.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LecternDb } from '../../shared/db/database.js';
import type { StatusRow } from '../../shared/db/status-repository.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { Grant } from '../../shared/use-cases/grant-access.js';
import { loadPreviewCatalog } from './load-catalog.js';
import { previewFiles, type PreviewFile } from './bundle.js';
import { contentSecurityPolicy, renderPage } from './page.js';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

export interface PreviewRoutesOptions {
  published: ObjectStore;
  db: LecternDb;
  /** The replay hint for a failed upload, e.g. `lectern replay --local --execution <id>`. */
  replayCommand: (row: StatusRow) => string;
  pollMs?: number;
  /** On a signed stage: grants the page's visitor a course (the stage's key pair, `grantAccess`). */
  grant?: (course: string) => Promise<Grant>;
}

/** How long the page's grants last; it asks again for a course whose grant is about to end. */
export const PREVIEW_GRANT_TTL_SECONDS = 2 * 3600;
const COURSE_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function previewRoutes(options: PreviewRoutesOptions): RouteHandler {
  let files: Promise<Record<string, PreviewFile>> | undefined; // bundled on first request
  const cache = new Map<string, unknown>();
  const catalog = () =>
    loadPreviewCatalog({
      published: options.published,
      db: options.db,
      source: { mode: 'local', live: true, access: options.grant ? 'signed' : 'public' },
      urlBase: '',
      replayCommand: options.replayCommand,
      cache,
    });
  const csp = contentSecurityPolicy();

  return async function handlePreview(request, response, url) {
    if (url.pathname === '/_lectern/grant' && options.grant) {
      await handleGrant(request, response, options.grant);
      return true;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const html = renderPage({ catalog: await catalog(), live: true, ...(options.pollMs ? { pollMs: options.pollMs } : {}), ...(options.grant ? { grantUrl: '_lectern/grant' } : {}) });
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': csp, 'x-content-type-options': 'nosniff' });
      response.end(request.method === 'HEAD' ? undefined : html);
      return true;
    }
    if (url.pathname === '/_lectern/status.json') {
      const body = JSON.stringify(await catalog());
      const etag = `"${createHash('sha256').update(body.replace(/"generatedAt":"[^"]*"/, '')).digest('hex').slice(0, 32)}"`;
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag, 'cache-control': 'no-cache' }).end();
        return true;
      }
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', etag, 'x-content-type-options': 'nosniff' });
      response.end(request.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (url.pathname.startsWith('/_lectern/')) {
      files ??= previewFiles();
      const asset = (await files)[url.pathname.slice('/_lectern/'.length)];
      if (!asset) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
        return true;
      }
      const { body } = asset;
      response.writeHead(200, { 'content-type': asset.contentType, 'content-length': body.byteLength, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
      response.end(request.method === 'HEAD' ? undefined : body);
      return true;
    }
    return false;
  };
}

async function handleGrant(request: IncomingMessage, response: ServerResponse, grant: (course: string) => Promise<Grant>): Promise<void> {
  const answer = (status: number, body: unknown, headers: Record<string, string | string[]> = {}) =>
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers }).end(JSON.stringify(body));
  if (request.method !== 'POST') return void answer(405, { error: 'POST { "course": "<slug>" }' }, { allow: 'POST' });
  // Another site's page must not collect grants through the visitor's browser.
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`) return void answer(403, { error: `grants are for the preview page's own origin, not ${origin}` });
  let course: unknown;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    course = (JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { course?: unknown }).course;
  } catch {
    course = undefined;
  }
  if (typeof course !== 'string' || !COURSE_SLUG.test(course)) return void answer(400, { error: 'the body must be { "course": "<course slug>" }' });
  const granted = await grant(course);
  answer(200, { course: granted.course, expiresAt: granted.expiresAt }, { 'set-cookie': granted.setCookie });
}
