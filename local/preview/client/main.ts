/**
 * The preview page in the browser: hash routes (courses → lessons → files), live updates from
 * `_lectern/status.json` (lectern dev), video through hls.js (served from the local install),
 * quizzes answered and scored in the page. esbuild bundles this file with the views and the quiz
 * kit into one classic script, `_lectern/preview.js` (`bundle.ts`), so a static build works from
 * `file://` too.
 */
import type { Quiz } from '../../../shared/quiz/model.js';
import type { PreviewCatalog } from '../catalog.js';
import { renderMath } from './math.js';
import { readResponse, renderQuiz, renderResult, renderTotal } from './quiz-render.js';
import { scoreQuestion, scoreQuiz } from './quiz-scoring.js';
import { formatClock } from './format.js';
import { escapeHtml } from './html.js';
import { renderSource, renderView } from './render.js';
import { parseRoute } from './route.js';

/** The part of hls.js the page uses (loaded on demand from `_lectern/vendor/hls.js`). */
interface HlsPlayer {
  on(event: string, listener: (event: unknown, data: { fatal?: boolean }) => void): void;
  once(event: string, listener: () => void): void;
  attachMedia(media: HTMLMediaElement): void;
  loadSource(url: string): void;
  destroy(): void;
}
interface HlsConstructor {
  new (options: Record<string, unknown>): HlsPlayer;
  isSupported(): boolean;
  Events: { ERROR: string; MANIFEST_PARSED: string };
}
declare global {
  interface Window {
    Hls?: HlsConstructor;
  }
}

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

// ── navigation ──────────────────────────────────────────────────────────────────────────────

function show(options?: { focus?: boolean }): void {
  const course = route.view === 'home' ? undefined : route.course;
  if (course && needsGrant(course)) {
    // Players, PDFs, thumbnails and quizzes under /courses/<course>/ need the cookies first.
    const shown = route;
    void grant(course).then(() => {
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
      announceChanges(previous, next);
      update();
    }
  } catch (error) {
    offline = true;
    console.warn('lectern preview: the status could not be refreshed', error);
  }
  source.innerHTML = renderSource(catalog, { offline, checkedAt });
  window.setTimeout(poll, document.hidden ? 5000 : config.pollMs || 1000);
}

function states(data: PreviewCatalog): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of data.courses) for (const l of c.lessons) for (const a of l.assets) map.set(`${c.slug}/${l.slug}/${a.fileName}`, a.state);
  return map;
}

function announceChanges(before: PreviewCatalog, after: PreviewCatalog): void {
  const old = states(before);
  const messages: string[] = [];
  for (const [key, state] of states(after)) {
    if (old.get(key) !== state && state !== 'processing') messages.push(`${key.split('/').pop()}: ${state}`);
  }
  if (messages.length > 0 && messages.length <= 5) announcer.textContent = messages.join('. ');
}

/** Applies new data to the current view without losing what the reader is doing. */
function update(): void {
  const result = renderView(catalog, route);
  document.title = `${result.title} · lectern preview`;
  const fresh = document.createElement('div');
  fresh.innerHTML = result.html;
  const stack = view.querySelector<HTMLElement>('.asset-stack');
  const freshStack = fresh.querySelector<HTMLElement>('.asset-stack');
  if (route.view !== 'lesson' || !stack || !freshStack || stack.getAttribute('data-lesson') !== freshStack.getAttribute('data-lesson')) {
    if (view.innerHTML === fresh.innerHTML) return;
    const focused = focusKey();
    view.replaceChildren(...fresh.childNodes);
    hydrate(view);
    restoreFocus(focused);
    return;
  }
  // The lesson view: replace what changed around the files, reconcile the files one by one.
  const oldChildren = Array.from(view.children);
  const newChildren = Array.from(fresh.children);
  if (oldChildren.length !== newChildren.length || oldChildren.some((el, i) => el.tagName !== newChildren[i]!.tagName || el.className !== newChildren[i]!.className)) {
    const focused = focusKey();
    const split = newChildren.indexOf(freshStack);
    for (const el of oldChildren) if (el !== stack) el.remove();
    newChildren.forEach((el, i) => {
      if (i < split) view.insertBefore(el, stack);
      else if (i > split) view.appendChild(el);
    });
    restoreFocus(focused);
  } else {
    oldChildren.forEach((el, i) => {
      const next = newChildren[i]!;
      if (el !== stack && el.outerHTML !== next.outerHTML) el.replaceWith(next);
    });
  }
  reconcileAssets(stack, freshStack);
}

function reconcileAssets(stack: HTMLElement, freshStack: HTMLElement): void {
  const existing = new Map(Array.from(stack.children).map((el) => [el.getAttribute('data-file'), el]));
  const wanted = Array.from(freshStack.children);
  const keep = new Set(wanted.map((el) => el.getAttribute('data-file')));
  for (const [file, el] of existing) {
    if (keep.has(file)) continue;
    for (const media of el.querySelectorAll<HTMLMediaElement>('video, audio')) teardown(media);
    el.remove();
  }
  const added: Element[] = [];
  let cursor = stack.firstElementChild;
  for (const next of wanted) {
    let el = existing.get(next.getAttribute('data-file'));
    if (!el) {
      el = next;
      added.push(el);
    } else {
      el.className = next.className;
      for (const part of ['head', 'status']) {
        const a = el.querySelector(`[data-part="${part}"]`);
        const b = next.querySelector(`[data-part="${part}"]`);
        if (a && b && a.innerHTML !== b.innerHTML) a.innerHTML = b.innerHTML;
      }
      const content = el.querySelector('[data-part="content"]');
      const freshContent = next.querySelector('[data-part="content"]');
      if (content && freshContent && content.getAttribute('data-key') !== freshContent.getAttribute('data-key')) {
        for (const media of content.querySelectorAll<HTMLMediaElement>('video, audio')) teardown(media);
        content.replaceWith(freshContent);
        added.push(freshContent);
      }
    }
    // Only what is out of place moves (moving a playing video would pause it).
    if (el === cursor) cursor = cursor.nextElementSibling;
    else stack.insertBefore(el, cursor);
  }
  for (const el of added) hydrate(el);
}

function focusKey(): { id?: string; href?: string | null; text?: string | null } | undefined {
  const el = document.activeElement;
  if (!el || !view.contains(el)) return undefined;
  if (el.id) return { id: el.id };
  if (el.tagName === 'A') return { href: el.getAttribute('href'), text: el.textContent };
  return undefined;
}

function restoreFocus(key: ReturnType<typeof focusKey>): void {
  if (!key) return;
  const el = key.id ? document.getElementById(key.id) : Array.from(view.querySelectorAll('a')).find((a) => a.getAttribute('href') === key.href);
  if (el) el.focus({ preventScroll: true });
}

// ── signed access: a grant per course ───────────────────────────────────────────────────────

/** Until when the page holds cookies for a course (ms); a failed ask is tried again after a while. */
const grants = new Map<string, number>();
const RENEW_BEFORE_MS = 5 * 60_000;

function needsGrant(course: string): boolean {
  return Boolean(config.grantUrl) && (grants.get(course) ?? 0) - RENEW_BEFORE_MS <= Date.now();
}

/** Asks lectern dev for the course's signed cookies (they arrive as Set-Cookie, HttpOnly). */
async function grant(course: string): Promise<void> {
  try {
    const response = await fetch(config.grantUrl as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ course }), cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const answer = (await response.json()) as { expiresAt: string };
    grants.set(course, Date.parse(answer.expiresAt));
  } catch (error) {
    console.warn(`lectern preview: no grant for ${course}`, error);
    grants.set(course, Date.now() + RENEW_BEFORE_MS + 30_000); // show the course anyway; ask again in 30 s
  }
}

// ── hydration: players, quizzes ─────────────────────────────────────────────────────────────

function hydrate(root: Element): void {
  for (const media of root.querySelectorAll<HTMLMediaElement>('video[data-hls], video[data-fallback], audio[data-hls], audio[data-fallback]')) setUpMedia(media);
  for (const mount of root.querySelectorAll<HTMLElement>('.quiz-mount')) void mountQuiz(mount);
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

let hlsLoading: Promise<HlsConstructor> | undefined;
function loadHls(): Promise<HlsConstructor> {
  if (window.Hls) return Promise.resolve(window.Hls);
  hlsLoading =
    hlsLoading ||
    new Promise<HlsConstructor>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = config.hlsUrl;
      script.onload = () => (window.Hls ? resolve(window.Hls) : reject(new Error('hls.js did not load')));
      script.onerror = () => reject(new Error(`could not load ${config.hlsUrl}`));
      document.head.appendChild(script);
    });
  return hlsLoading;
}

function crossOrigin(url: string): boolean {
  if (location.protocol === 'file:') return false;
  try {
    return new URL(url, location.href).origin !== location.origin;
  } catch {
    return false;
  }
}

interface PlayerState {
  ready?: Promise<void>;
  hls?: HlsPlayer;
  start?: () => Promise<void>;
  observer?: IntersectionObserver;
}

const players = new WeakMap<HTMLMediaElement, PlayerState>();

function setUpMedia(media: HTMLMediaElement): void {
  const hlsUrl = media.getAttribute('data-hls');
  const fallback = media.getAttribute('data-fallback');
  if (crossOrigin(hlsUrl || fallback || '')) media.crossOrigin = 'anonymous';
  const state: PlayerState = {};
  players.set(media, state);
  const engine = media.closest('figure')?.querySelector('.player-engine');
  const say = (text: string): void => {
    media.setAttribute('data-engine', text);
    if (engine) engine.textContent = ` · ${text}`;
  };
  const useFallback = (): void => {
    if (state.hls) state.hls.destroy();
    state.hls = undefined;
    if (!fallback) return say('cannot play');
    media.src = fallback;
    say(media.tagName === 'VIDEO' ? 'MP4 fallback' : 'M4A fallback');
  };
  const start = (): Promise<void> => {
    if (state.ready) return state.ready;
    state.ready = (async () => {
      if (!hlsUrl) return useFallback();
      try {
        const Hls = await loadHls();
        if (Hls.isSupported()) {
          const hasTracks = media.querySelector('track') !== null;
          const hls = new Hls({
            // The lesson's caption files are <track>s; don't add the ladder's copy of them twice.
            enableWebVTT: !hasTracks,
            enableIMSC1: !hasTracks,
            enableCEA708Captions: !hasTracks,
          });
          state.hls = hls;
          hls.on(Hls.Events.ERROR, (_event: unknown, data: { fatal?: boolean }) => {
            if (data.fatal) useFallback();
          });
          hls.attachMedia(media);
          hls.loadSource(hlsUrl);
          await new Promise<void>((resolve) => {
            hls.once(Hls.Events.MANIFEST_PARSED, () => resolve());
            hls.once(Hls.Events.ERROR, () => resolve());
          });
          if (state.hls) say('streaming with hls.js');
          return undefined;
        }
      } catch (error) {
        // hls.js could not be loaded: native HLS or the fallback file below.
        console.warn('lectern preview: hls.js could not be loaded', error);
      }
      if (media.canPlayType('application/vnd.apple.mpegurl')) {
        media.src = hlsUrl;
        say('native HLS');
        return undefined;
      }
      return useFallback();
    })();
    return state.ready;
  };
  state.start = start;
  // Load the stream once the player is about to be seen, or when asked to play.
  media.addEventListener('play', () => void start(), { once: true });
  if (typeof IntersectionObserver === 'function') {
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer.disconnect();
          void start();
        }
      },
      { rootMargin: '200px' },
    );
    observer.observe(media);
    state.observer = observer;
  } else {
    void start();
  }
}

/**
 * The default caption track's cues as a list beside the player: each cue a button that plays from
 * its start, the cue being spoken marked as current.
 */
function showTranscript(media: HTMLMediaElement, list: HTMLOListElement): void {
  const element = media.querySelector<HTMLTrackElement>('track[default]') ?? media.querySelector<HTMLTrackElement>('track');
  if (!element) return;
  const track = element.track;
  if (track.mode === 'disabled') track.mode = 'hidden';
  const fill = (): void => {
    const cues = Array.from(track.cues ?? []) as VTTCue[];
    if (cues.length === 0 || list.childElementCount > 0) return;
    for (const cue of cues) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'cue';
      button.dataset.start = String(cue.startTime);
      const time = document.createElement('span');
      time.className = 'cue-time';
      time.textContent = formatClock(Math.floor(cue.startTime)); // 1.5 s is still 0:01, as players count
      const words = document.createElement('span');
      words.className = 'cue-text';
      // The cue as plain text: voice and style tags are markup, not words.
      words.textContent = cue.getCueAsHTML().textContent ?? cue.text;
      button.append(time, ' ', words);
      button.setAttribute('aria-label', `Play from ${time.textContent}: ${words.textContent}`);
      button.addEventListener('click', () => void seek(media, cue.startTime));
      item.append(button);
      list.append(item);
    }
  };
  element.addEventListener('load', fill);
  track.addEventListener('cuechange', () => {
    fill();
    const active = new Set(Array.from(track.activeCues ?? []).map((cue) => String(cue.startTime)));
    for (const button of list.querySelectorAll<HTMLButtonElement>('button.cue')) {
      if (active.has(button.dataset.start ?? '')) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  });
  fill();
}

async function seek(media: HTMLMediaElement, seconds: number): Promise<void> {
  const state = players.get(media);
  if (state?.start) await state.start();
  const go = () => {
    media.currentTime = seconds;
    void media.play().catch(() => undefined);
  };
  if (media.readyState >= 1) go();
  else media.addEventListener('loadedmetadata', go, { once: true });
}

function teardown(media: HTMLMediaElement): void {
  const state = players.get(media);
  if (!state) return;
  if (state.observer) state.observer.disconnect();
  if (state.hls) state.hls.destroy();
  players.delete(media);
}

// ── quizzes ─────────────────────────────────────────────────────────────────────────────────

function embeddedQuiz(url: string | null): Quiz | undefined {
  for (const c of catalog.courses) for (const l of c.lessons) for (const a of l.assets) if (a.published && a.published.quiz && a.published.outputs.some((o) => o.url === url)) return a.published.quiz;
  return undefined;
}

/** Inserts sanitised HTML, resolving its relative links and images against the quiz's own URL, its TeX typeset. */
function setRich(element: Element, html: string, baseUrl: string): void {
  const template = document.createElement('template');
  template.innerHTML = html;
  const base = new URL(baseUrl, location.href);
  for (const el of template.content.querySelectorAll('.rich img[src], .rich a[href], img[src].rich, a[href].rich')) {
    const attr = el.tagName === 'IMG' ? 'src' : 'href';
    const value = el.getAttribute(attr);
    if (value && !/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(value)) el.setAttribute(attr, new URL(value, base).href);
  }
  renderMath(template.content);
  element.replaceChildren(template.content);
}

async function mountQuiz(mount: HTMLElement): Promise<void> {
  const url = mount.getAttribute('data-quiz-url') ?? '';
  const prefix = mount.getAttribute('data-quiz-id') ?? 'quiz';
  let data = embeddedQuiz(url);
  try {
    if (!data) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      data = (await response.json()) as Quiz;
    }
  } catch (error) {
    mount.innerHTML = `<p class="note">The quiz could not be loaded (${escapeHtml((error as Error).message)}). <a href="${escapeHtml(url)}">Open quiz.json</a>.</p>`;
    return;
  }
  const article = mount.closest('article');
  const fallbackTitle = article?.getAttribute('data-file') ?? 'Quiz';
  const quiz = data;
  setRich(mount, renderQuiz(quiz, prefix, { fallbackTitle }), url);
  const form = mount.querySelector('form');
  if (!form) return;
  const check = (index: number): void => {
    const question = quiz.questions[index];
    if (!question) return;
    const result = scoreQuestion(question, readResponse(form, question, index, prefix));
    form.querySelector(`#${prefix}-q${index}`)?.setAttribute('data-state', result.state);
    const resultBox = form.querySelector(`#${prefix}-q${index}-result`);
    if (resultBox) setRich(resultBox, renderResult(question, result), url);
  };
  form.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-check]') : null;
    if (button) check(Number(button.getAttribute('data-check')));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const responses = quiz.questions.map((q, i) => readResponse(form, q, i, prefix));
    quiz.questions.forEach((q, i) => {
      if (q.type !== 'description') check(i);
    });
    const total = form.querySelector(`#${prefix}-total`);
    if (total) total.innerHTML = renderTotal(scoreQuiz(quiz, responses));
  });
  enableWordDragging(form);
  form.addEventListener('reset', () => {
    requestAnimationFrame(() => {
      for (const el of form.querySelectorAll('.q-result, .quiz-total')) el.replaceChildren();
      for (const el of form.querySelectorAll('[data-state]')) el.removeAttribute('data-state');
    });
  });
}

/**
 * Drag and drop into text: a word of the pool dropped on a gap of its group sets that gap's
 * drop-down (the keyboard way to answer stays the drop-down itself). A word of another group is
 * refused, as Moodle refuses it.
 */
function enableWordDragging(form: HTMLFormElement): void {
  form.addEventListener('dragstart', (event) => {
    const word = event.target instanceof Element ? event.target.closest<HTMLElement>('.word-pool li[data-choice]') : null;
    if (!word || !event.dataTransfer) return;
    event.dataTransfer.setData('text/plain', `${word.dataset.choice ?? ''} ${word.dataset.group ?? ''}`);
    event.dataTransfer.effectAllowed = 'copy';
  });
  const gapOf = (event: DragEvent): HTMLSelectElement | null =>
    event.target instanceof Element ? event.target.closest<HTMLSelectElement>('.q-drag-drop-text select.gap') : null;
  form.addEventListener('dragover', (event) => {
    if (gapOf(event)) event.preventDefault();
  });
  form.addEventListener('drop', (event) => {
    const gap = gapOf(event);
    if (!gap || !event.dataTransfer) return;
    event.preventDefault();
    const [choice = '', group = ''] = event.dataTransfer.getData('text/plain').split(' ');
    if (group !== gap.dataset.group || ![...gap.options].some((o) => o.value === choice)) return;
    gap.value = choice;
    gap.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

// ── start ───────────────────────────────────────────────────────────────────────────────────

source.innerHTML = renderSource(catalog, { offline });
show({ focus: route.view === 'lesson' && Boolean(route.file) });
if (config.live) window.setTimeout(poll, config.pollMs || 1000);
