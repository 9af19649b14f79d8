/**
 * The preview page in the browser: hash routes (courses → lessons → files), live updates from
 * `_lectern/status.json` (lectern dev), and what each view holds readied once it is on the page —
 * players (media-player.ts), transcripts (transcript-panel.ts), quizzes (quiz-page.ts). esbuild
 * bundles this file with what it imports into one classic script, `_lectern/preview.js`
 * (`bundle.ts`), so a static build works from `file://` too.
 */
import type { Quiz } from '../../../shared/quiz/model.js';
import type { PreviewCatalog } from '../catalog.js';
import { courseGrants } from './grants.js';
import { announcement, refreshView } from './live-view.js';
import { seek, setUpMedia, teardown } from './media-player.js';
import { mountQuiz } from './quiz-page.js';
import { renderSource, renderView } from './render.js';
import { parseRoute } from './route.js';
import { showTranscript } from './transcript-panel.js';

interface PageConfig {
  live: boolean;
  pollMs: number;
  statusUrl: string;
  hlsUrl: string;
  /** A signed stage (lectern dev): where to get a course's signed cookies before showing it. */
  grantUrl?: string;
}

/** An element the page's HTML (page.ts) always has. */
function element(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The preview page has no #${id}`);
  return el;
}

const config = JSON.parse(element('lectern-config').textContent ?? '{}') as PageConfig;
let catalog = JSON.parse(element('lectern-data').textContent ?? '{}') as PreviewCatalog;
const view = element('view');
const main = element('main');
const source = element('source');
const announcer = element('announcer');
let route = parseRoute(location.hash);
let offline = false;
let checkedAt: string | undefined;
const grants = courseGrants(config.grantUrl);

// ── navigation ──────────────────────────────────────────────────────────────────────────────

function show(options?: { focus?: boolean }): void {
  const course = route.view === 'home' ? undefined : route.course;
  if (course && grants.needsGrant(course)) {
    // Players, PDFs, thumbnails and quizzes under /courses/<course>/ need the cookies first.
    const shown = route;
    void grants.grant(course).then(() => {
      if (route === shown) show(options);
    });
    return;
  }
  const result = renderView(catalog, route);
  document.title = `${result.title} · lectern preview`;
  for (const media of view.querySelectorAll<HTMLMediaElement>('video, audio')) teardown(media);
  view.innerHTML = result.html;
  hydrate(view);
  if (options && options.focus) focusRoute();
}

/** After navigation: the file asked for, else the page's heading. */
function focusRoute() {
  window.scrollTo(0, 0);
  const target = route.view === 'lesson' && route.file ? document.querySelector<HTMLElement>(`article[data-file="${cssString(route.file)}"]`) : null;
  if (target) {
    target.setAttribute('tabindex', '-1');
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  } else {
    const heading = document.getElementById('view-title');
    if (heading) heading.focus({ preventScroll: true });
  }
}

function cssString(text: string): string {
  return String(text).replace(/["\\]/g, '\\$&');
}

window.addEventListener('hashchange', () => {
  if (!location.hash.startsWith('#/') && location.hash !== '') return; // an in-page anchor
  const previous = route;
  route = parseRoute(location.hash);
  // Another file of the lesson on screen: move to it, keep players and answers as they are.
  if (route.view === 'lesson' && previous.view === 'lesson' && route.course === previous.course && route.lesson === previous.lesson) focusRoute();
  else show({ focus: true });
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const skip = target?.closest('a.skip-link');
  if (skip) {
    event.preventDefault();
    main.focus();
    main.scrollIntoView({ block: 'start' });
    return;
  }
  const copy = target?.closest<HTMLButtonElement>('button.copy');
  if (copy) {
    const text = copy.getAttribute('data-copy') ?? '';
    const done = () => {
      copy.textContent = 'Copied';
      window.setTimeout(() => (copy.textContent = 'Copy command'), 2000);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, () => selectCommand(copy));
    else selectCommand(copy);
  }
});

function selectCommand(button: HTMLElement): void {
  const code = button.parentElement?.querySelector('code');
  const selection = window.getSelection();
  if (!code || !selection) return;
  const range = document.createRange();
  range.selectNodeContents(code);
  selection.removeAllRanges();
  selection.addRange(range);
}

// ── live updates ────────────────────────────────────────────────────────────────────────────

function comparable(data: PreviewCatalog): string {
  return JSON.stringify({ ...data, generatedAt: undefined });
}

async function poll(): Promise<void> {
  try {
    // Revalidated with the ETag: an unchanged catalog costs a 304.
    const response = await fetch(config.statusUrl, { cache: 'no-cache' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const next = (await response.json()) as PreviewCatalog;
    const changed = comparable(next) !== comparable(catalog);
    const previous = catalog;
    catalog = next;
    offline = false;
    checkedAt = new Date().toISOString();
    if (changed) {
      const message = announcement(previous, next);
      if (message) announcer.textContent = message;
      update();
    }
  } catch (error) {
    offline = true;
    console.warn('lectern preview: the status could not be refreshed', error);
  }
  source.innerHTML = renderSource(catalog, { offline, checkedAt });
  window.setTimeout(poll, document.hidden ? 5000 : config.pollMs || 1000);
}

/** Applies new data to the current view without losing what the reader is doing. */
function update(): void {
  const result = renderView(catalog, route);
  document.title = `${result.title} · lectern preview`;
  refreshView(view, result.html, route.view === 'lesson', hydrate);
}

// ── what a view holds: players, transcripts, quizzes ────────────────────────────────────────

function hydrate(root: Element): void {
  for (const media of root.querySelectorAll<HTMLMediaElement>('video[data-hls], video[data-fallback], audio[data-hls], audio[data-fallback]')) setUpMedia(media, config.hlsUrl);
  for (const mount of root.querySelectorAll<HTMLElement>('.quiz-mount')) void mountQuiz(mount, embeddedQuiz);
  for (const list of root.querySelectorAll<HTMLOListElement>('.transcript-cues')) {
    const media = list.closest('.asset-body')?.querySelector<HTMLMediaElement>('video, audio');
    if (media) showTranscript(media, list);
  }
  for (const button of root.querySelectorAll('button.thumb')) {
    button.addEventListener('click', () => {
      const media = button.closest('.asset-body')?.querySelector<HTMLMediaElement>('video, audio');
      if (media) void seek(media, Number(button.getAttribute('data-seek')));
    });
  }
}

/** A static build carries each quiz's JSON in the catalog; lectern dev's pages fetch it. */
function embeddedQuiz(url: string | null): Quiz | undefined {
  for (const c of catalog.courses) for (const l of c.lessons) for (const a of l.assets) if (a.published && a.published.quiz && a.published.outputs.some((o) => o.url === url)) return a.published.quiz;
  return undefined;
}

// ── start ───────────────────────────────────────────────────────────────────────────────────

source.innerHTML = renderSource(catalog, { offline });
show({ focus: route.view === 'lesson' && Boolean(route.file) });
if (config.live) window.setTimeout(poll, config.pollMs || 1000);
