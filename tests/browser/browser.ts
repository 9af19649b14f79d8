/**
 * Real-browser helpers: Debian Chromium driven by playwright-core, a fresh profile per run, every
 * request recorded and anything not on 127.0.0.1 refused; a small accessibility check.
 * A missing Chromium is a failure everywhere (with how to install it), never a skip.
 */
import { freePort } from '../helpers/free-port.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PreviewCatalog } from '../../local/preview/catalog.js';

/**
 * The few DOM shapes the in-page callbacks use: the project compiles without the DOM library
 * (Node code), and these declarations are local to the test modules that use them.
 */
export interface DomElement {
  id: string;
  tagName: string;
  textContent: string | null;
  innerText: string;
  type?: string;
  labels?: ArrayLike<DomElement> | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  getBoundingClientRect(): { top: number; height: number };
}
export interface DomDocument {
  activeElement: DomElement | null;
  getElementById(id: string): DomElement | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}
declare const document: DomDocument;

export const CHROMIUM = process.env.LECTERN_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('test-results/screenshots');

export function requireChromium(): void {
  if (existsSync(CHROMIUM)) return;
  throw new Error(
    `The browser tests need Chromium at ${CHROMIUM}${process.env.CI === 'true' ? ' (CI=true: .ci/run installs it)' : ''}. ` +
      'Install it with: apt-get update && apt-get install -y chromium (Debian; as root), or set LECTERN_CHROMIUM to a Chromium binary.',
  );
}

export interface Browser {
  context: BrowserContext;
  /** Every URL the browser asked for, in order. */
  requests: string[];
  /** Network requests that were not for 127.0.0.1 (refused). */
  refused: string[];
  close(): Promise<void>;
}

/** Schemes the browser serves from itself (blob/data URLs, the built-in PDF viewer). */
const INTERNAL_SCHEMES = new Set(['blob:', 'data:', 'about:', 'chrome:', 'chrome-extension:', 'file:']);

export function offMachine(url: string, allowedOrigins: string[]): boolean {
  const parsed = new URL(url);
  if (INTERNAL_SCHEMES.has(parsed.protocol)) return false;
  return !allowedOrigins.includes(parsed.origin);
}

export async function launchBrowser(allowedOrigins: () => string[]): Promise<Browser> {
  requireChromium();
  const profile = await mkdtemp(path.join(tmpdir(), 'lectern-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const requests: string[] = [];
  const refused: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (offMachine(url, allowedOrigins())) {
      refused.push(url);
      await route.abort('blockedbyclient');
    } else {
      await route.continue();
    }
  });
  return {
    context,
    requests,
    refused,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}

/**
 * The controls on the page without an accessible name (a small subset of the accessible-name
 * computation: aria-labelledby, aria-label, <label>, title, text, alt), plus images without alt
 * and frames without title.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = (el: DomElement | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const name = (el: DomElement): string => {
      const labelledBy = el.getAttribute('aria-labelledby');
      if (labelledBy) {
        const joined = labelledBy
          .split(/\s+/)
          .map((id) => text(document.getElementById(id)))
          .join(' ')
          .trim();
        if (joined) return joined;
      }
      const aria = el.getAttribute('aria-label')?.trim();
      if (aria) return aria;
      const labels = el.labels;
      if (labels && labels.length > 0) {
        const joined = Array.from(labels)
          .map((l) => text(l))
          .join(' ')
          .trim();
        if (joined) return joined;
      }
      if (el.tagName === 'BUTTON') {
        const own =
          text(el) ||
          Array.from(el.querySelectorAll('img[alt]'))
            .map((i) => i.getAttribute('alt'))
            .join(' ')
            .trim();
        if (own) return own;
      }
      return el.getAttribute('title')?.trim() ?? '';
    };
    const describe = (el: DomElement) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}`;
    const problems: string[] = [];
    for (const el of Array.from(document.querySelectorAll('input, select, textarea, button'))) {
      if (el.type === 'hidden') continue;
      if (!name(el)) problems.push(`${describe(el)} has no accessible name`);
    }
    for (const el of Array.from(document.querySelectorAll('img'))) if (!el.hasAttribute('alt')) problems.push(`${describe(el)} has no alt`);
    for (const el of Array.from(document.querySelectorAll('iframe'))) if (!el.getAttribute('title')) problems.push(`${describe(el)} has no title`);
    for (const el of Array.from(document.querySelectorAll('video, audio'))) if (!name(el)) problems.push(`${describe(el)} has no accessible name`);
    const ids = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll('[id]'))) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
    for (const [id, count] of ids) if (count > 1) problems.push(`id "${id}" is used ${count} times`);
    return problems;
  });
}

/** The `<video>` of the card for `fileName` on the preview page. */
const videoOf = (fileName: string) => `article[data-file="${fileName}"] video`;

/** Waits until the card's video for `fileName` streams through hls.js (the page says so on the element). */
export async function waitForHls(page: Page, fileName: string): Promise<void> {
  await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-engine') === 'streaming with hls.js', videoOf(fileName), { timeout: 120_000 });
}

/** Plays the card's video for `fileName`, muted (as autoplay rules allow), until it is past `seconds`. */
export async function playMuted(page: Page, fileName: string, seconds = 0.5): Promise<void> {
  await page.locator(videoOf(fileName)).evaluate(async (el) => {
    const media = el as unknown as { muted: boolean; play(): Promise<void> };
    media.muted = true;
    // The player may switch sources under this play() (hls.js giving way to the MP4), which rejects
    // it with AbortError; the player then goes on playing by itself, which the wait below requires.
    await media.play().catch((error: { name?: string }) => {
      if (error?.name !== 'AbortError') throw error;
    });
  });
  await page.waitForFunction(({ selector, past }) => (document.querySelector(selector) as unknown as { currentTime: number } | null)!.currentTime > past, { selector: videoOf(fileName), past: seconds }, { timeout: 120_000 });
}

export interface Lectern {
  child: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The exit code, once the command has ended by itself. */
  exitCode(): Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs `lectern <args>` as a user would (bin/lectern.js, this Node), with `extraEnv` on top of this process's environment. */
export function runLectern(args: string[], cwd: string, extraEnv: Record<string, string> = {}): Lectern {
  // The PDF check's wall-clock budget (15 s) is injected generously: a busy machine stretches it.
  const env = { ...process.env, LECTERN_LOG_LEVEL: 'SILENT', LECTERN_PDF_TIMEOUT_MS: String(10 * 60_000), ...extraEnv };
  const child = spawn(process.execPath, [path.resolve('bin/lectern.js'), ...args], { cwd, env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    // Generous: it returns as soon as the line appears (or the command ends); on a busy two-core
    // machine a cold `lectern` start alone can take a minute or more.
    async waitFor(pattern, timeoutMs = 300_000) {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        const match = output.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${pattern}; output so far:\n${output}`);
    },
    exitCode: () => exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}

export interface DevPreview {
  /** The folder `lectern dev` runs in (its state folder is `state/`). */
  dir: string;
  /** `http://127.0.0.1:<port>`, where `lectern dev` serves the preview. */
  base: string;
  dev: Lectern;
  browser: Browser;
  page: Page;
  /** The origins the browser may reach; `base` at first. */
  allowed: string[];
  close(): Promise<void>;
}

/**
 * `lectern dev` in a fresh folder (`prefix` names it) on a free port, serving, and a Chromium page
 * that may reach only it; `env` is added to the command's environment.
 */
export async function startDevPreview(prefix: string, env: Record<string, string> = {}): Promise<DevPreview> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const preview = { dir, base, allowed: [base] } as DevPreview;
  preview.close = async () => {
    await preview.browser?.close();
    await preview.dev?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    preview.browser = await launchBrowser(() => preview.allowed);
    preview.page = await preview.browser.context.newPage();
    preview.dev = runLectern(['dev', '--port', String(port), '--state-dir', 'state', '--poll-ms', '100'], dir, env);
    await preview.dev.waitFor(/serving http:\/\/127\.0\.0\.1:\d+/);
  } catch (error) {
    await preview.close();
    throw error;
  }
  return preview;
}

/** What the preview page shows, as `lectern dev` serves it (`/_lectern/status.json`). */
export async function previewCatalog(base: string): Promise<PreviewCatalog> {
  // A kept-alive connection the busy server closed just as it was reused: ask again.
  for (let attempt = 1; ; attempt++) {
    try {
      return (await (await fetch(`${base}/_lectern/status.json`)).json()) as PreviewCatalog;
    } catch (error) {
      if (attempt >= 5 || (error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
    }
  }
}

/** A static file server for a folder on 127.0.0.1 (to open a `lectern preview --out` build). */
export async function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t', '.mp4': 'video/mp4', '.vtt': 'text/vtt', '.jpg': 'image/jpeg', '.pdf': 'application/pdf' };
  const server: Server = createHttpServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
      if (!file.startsWith(root) || !(await stat(file).catch(() => undefined))?.isFile()) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(await readFile(file));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export { freePort };
