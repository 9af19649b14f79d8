/**
 * The CDN's local face: serves the published folder on 127.0.0.1 and a plain page listing what
 * is published, rejected or failed (with reasons), from the database. `lectern dev` puts the
 * preview page (`local/preview/`) in front of it through `routes`.
 *
 * On a stage whose access is `signed` it behaves like the distribution's `courses/*` behaviour
 * with its trusted key group: a request under `courses/` needs valid CloudFront signed cookies
 * (verified with the state folder's key pair, `local/signing-keys.ts`), else 403; `public/*`
 * (public lessons' copies) is served to anyone. CORS answers only the configured origins.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { http } from './node-http.js';
import path from 'node:path';
import { corsHeaders, type AccessConfig } from '../shared/access/access-config.js';
import { verifySignedCookies } from '../shared/access/verify-signed-cookies.js';
import type { LecternDb } from '../shared/db/database.js';
import type { RouteHandler } from './preview/routes.js';

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.pdf': 'application/pdf',
  '.html': 'text/html; charset=utf-8',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.mp4': 'video/mp4',
  '.vtt': 'text/vtt; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
};

export async function startStaticServer(options: {
  root: string;
  db: LecternDb;
  port: number;
  host?: string;
  /** Tried first (the preview page, `local/preview/routes.ts`); returns false to fall through. */
  routes?: RouteHandler;
  /** The stage's access settings and the key group the twin trusts (key pair id → public key PEM). */
  access: { config: AccessConfig; trustedKeys: ReadonlyMap<string, string>; now?: () => Date; onDenied?: (path: string, reason: string) => void };
}): Promise<{ server: Server; url: string }> {
  const root = path.resolve(options.root);
  const server = http.createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const cors = corsHeaders(options.access.config, request.headers.origin);
      if (request.method === 'OPTIONS') {
        response.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-max-age': '86400' }).end();
        return;
      }
      if (options.routes && (await options.routes(request, response, url))) return;
      if (url.pathname === '/' || url.pathname === '/index.html') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(await catalogPage(options.db));
        return;
      }
      const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
      const file = path.resolve(root, relative);
      if (!file.startsWith(`${root}${path.sep}`) || relative.split('/').some((s) => s.startsWith('.'))) {
        response.writeHead(404).end('not found');
        return;
      }
      if (options.access.config.stageDefault === 'signed' && relative.startsWith('courses/')) {
        const verdict = verifySignedCookies({
          cookieHeader: request.headers.cookie,
          url: `http://${request.headers.host ?? 'localhost'}${url.pathname}${url.search}`,
          clientIp: request.socket.remoteAddress ?? '',
          now: (options.access.now ?? (() => new Date()))(),
          trustedKeys: options.access.trustedKeys,
        });
        if (!verdict.ok) {
          options.access.onDenied?.(url.pathname, verdict.reason);
          response.writeHead(403, { ...cors, 'content-type': 'text/plain; charset=utf-8' }).end(`Access denied: ${verdict.reason}.\n`);
          return;
        }
      }
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) {
        response.writeHead(404).end('not found');
        return;
      }
      const immutable = !relative.endsWith('manifest.json');
      // A signed course's files are private: a shared cache must not keep them.
      const cacheScope = relative.startsWith('courses/') && options.access.config.stageDefault === 'signed' ? 'private' : 'public';
      response.writeHead(200, {
        'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': immutable ? `${cacheScope}, max-age=31536000, immutable` : `${cacheScope}, max-age=60, must-revalidate`,
        ...cors,
      });
      createReadStream(file).pipe(response);
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${host}:${port}` };
}

async function catalogPage(db: LecternDb): Promise<string> {
  const rows = await db
    .selectFrom('asset_versions')
    .select(['source_key', 'status', 'kind', 'url', 'reasons', 'updated_at'])
    .orderBy('source_key')
    .orderBy('updated_at', 'desc')
    .execute();
  const items = rows
    .map((row) => {
      const reasons = (row.reasons as Array<{ code: string; message: string; line?: number }>)
        .map((r) => `<li>${r.line ? `line ${r.line}: ` : ''}${escapeHtml(r.message)} <code>${escapeHtml(r.code)}</code></li>`)
        .join('');
      const link = row.url ? ` — <a href="${escapeHtml(new URL(row.url).pathname)}">open</a>` : '';
      return `<li><strong>${escapeHtml(row.status)}</strong> ${escapeHtml(row.source_key)} (${escapeHtml(row.kind ?? '?')})${link}${reasons ? `<ul>${reasons}</ul>` : ''}</li>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lectern — published content</title></head><body><h1>lectern</h1><ul>${items || '<li>Nothing uploaded yet.</li>'}</ul></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
