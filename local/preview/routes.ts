/**
 * The preview in `lectern dev`: `/` is the page, `/_lectern/status.json` the live catalog it polls,
 * `/_lectern/*` its scripts, styles and hls.js (from the local install). Everything else is left
 * to the static server (the published tree).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LecternDb } from '../../shared/db/database.js';
import type { StatusRow } from '../../shared/db/status-repository.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
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
}

export function previewRoutes(options: PreviewRoutesOptions): RouteHandler {
  let files: Promise<Record<string, PreviewFile>> | undefined; // bundled on first request
  const cache = new Map<string, unknown>();
  const catalog = () =>
    loadPreviewCatalog({ published: options.published, db: options.db, source: { mode: 'local', live: true }, urlBase: '', replayCommand: options.replayCommand, cache });
  const csp = contentSecurityPolicy();

  return async function handlePreview(request, response, url) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const html = renderPage({ catalog: await catalog(), live: true, ...(options.pollMs ? { pollMs: options.pollMs } : {}) });
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
