/**
 * The preview page in the browser: hash routes (courses → lessons → files), live updates from
 * `_lectern/status.json` (lectern dev), video through hls.js (served from the local install),
 * quizzes answered and scored in the page. A classic script (see render.cjs): no modules, so a
 * static build works from `file://` too. Needs render.js and quiz.js loaded first.
 */
/* global document, window, location, fetch, navigator, requestAnimationFrame, IntersectionObserver */
(function () {
  'use strict';
  const { render, quiz: quizKit } = window.lectern;
  const config = JSON.parse(document.getElementById('lectern-config').textContent);
  let catalog = JSON.parse(document.getElementById('lectern-data').textContent);
  const view = document.getElementById('view');
  const main = document.getElementById('main');
  const source = document.getElementById('source');
  const announcer = document.getElementById('announcer');
  let route = render.parseRoute(location.hash);
  let offline = false;
  let checkedAt;

  // ── navigation ──────────────────────────────────────────────────────────────────────────────

  function show(options) {
    const result = render.renderView(catalog, route);
    document.title = `${result.title} · lectern preview`;
    for (const media of view.querySelectorAll('video, audio')) teardown(media);
    view.innerHTML = result.html;
    hydrate(view);
    if (options && options.focus) focusRoute();
  }

  /** After navigation: the file asked for, else the page's heading. */
  function focusRoute() {
    window.scrollTo(0, 0);
    const target = route.file && document.querySelector(`article[data-file="${cssString(route.file)}"]`);
    if (target) {
      target.setAttribute('tabindex', '-1');
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    } else {
      const heading = document.getElementById('view-title');
      if (heading) heading.focus({ preventScroll: true });
    }
  }

  function cssString(text) {
    return String(text).replace(/["\\]/g, '\\$&');
  }

  window.addEventListener('hashchange', () => {
    if (!location.hash.startsWith('#/') && location.hash !== '') return; // an in-page anchor
    const previous = route;
    route = render.parseRoute(location.hash);
    // Another file of the lesson on screen: move to it, keep players and answers as they are.
    if (route.view === 'lesson' && previous.view === 'lesson' && route.course === previous.course && route.lesson === previous.lesson) focusRoute();
    else show({ focus: true });
  });

  document.addEventListener('click', (event) => {
    const skip = event.target.closest && event.target.closest('a.skip-link');
    if (skip) {
      event.preventDefault();
      main.focus();
      main.scrollIntoView({ block: 'start' });
      return;
    }
    const copy = event.target.closest && event.target.closest('button.copy');
    if (copy) {
      const text = copy.getAttribute('data-copy');
      const done = () => {
        copy.textContent = 'Copied';
        window.setTimeout(() => (copy.textContent = 'Copy command'), 2000);
      };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, () => selectCommand(copy));
      else selectCommand(copy);
    }
  });

  function selectCommand(button) {
    const code = button.parentElement.querySelector('code');
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // ── live updates ────────────────────────────────────────────────────────────────────────────

  function comparable(data) {
    return JSON.stringify({ ...data, generatedAt: undefined });
  }

  async function poll() {
    try {
      // Revalidated with the ETag: an unchanged catalog costs a 304.
      const response = await fetch(config.statusUrl, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const next = await response.json();
      const changed = comparable(next) !== comparable(catalog);
      const previous = catalog;
      catalog = next;
      offline = false;
      checkedAt = new Date().toISOString();
      if (changed) {
        announceChanges(previous, next);
        update();
      }
    } catch {
      offline = true;
    }
    source.innerHTML = render.renderSource(catalog, { offline, checkedAt });
    window.setTimeout(poll, document.hidden ? 5000 : config.pollMs || 1000);
  }

  function states(data) {
    const map = new Map();
    for (const c of data.courses) for (const l of c.lessons) for (const a of l.assets) map.set(`${c.slug}/${l.slug}/${a.fileName}`, a.state);
    return map;
  }

  function announceChanges(before, after) {
    const old = states(before);
    const messages = [];
    for (const [key, state] of states(after)) {
      if (old.get(key) !== state && state !== 'processing') messages.push(`${key.split('/').pop()}: ${state}`);
    }
    if (messages.length > 0 && messages.length <= 5) announcer.textContent = messages.join('. ');
  }

  /** Applies new data to the current view without losing what the reader is doing. */
  function update() {
    const result = render.renderView(catalog, route);
    document.title = `${result.title} · lectern preview`;
    const fresh = document.createElement('div');
    fresh.innerHTML = result.html;
    const stack = view.querySelector('.asset-stack');
    const freshStack = fresh.querySelector('.asset-stack');
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
    if (oldChildren.length !== newChildren.length || oldChildren.some((el, i) => el.tagName !== newChildren[i].tagName || el.className !== newChildren[i].className)) {
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
        if (el !== stack && el.outerHTML !== newChildren[i].outerHTML) el.replaceWith(newChildren[i]);
      });
    }
    reconcileAssets(stack, freshStack);
  }

  function reconcileAssets(stack, freshStack) {
    const existing = new Map(Array.from(stack.children).map((el) => [el.getAttribute('data-file'), el]));
    const wanted = Array.from(freshStack.children);
    const keep = new Set(wanted.map((el) => el.getAttribute('data-file')));
    for (const [file, el] of existing) {
      if (keep.has(file)) continue;
      for (const media of el.querySelectorAll('video, audio')) teardown(media);
      el.remove();
    }
    const added = [];
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
          if (a.innerHTML !== b.innerHTML) a.innerHTML = b.innerHTML;
        }
        const content = el.querySelector('[data-part="content"]');
        const freshContent = next.querySelector('[data-part="content"]');
        if (content.getAttribute('data-key') !== freshContent.getAttribute('data-key')) {
          for (const media of content.querySelectorAll('video, audio')) teardown(media);
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

  function focusKey() {
    const el = document.activeElement;
    if (!el || !view.contains(el)) return undefined;
    if (el.id) return { id: el.id };
    if (el.tagName === 'A') return { href: el.getAttribute('href'), text: el.textContent };
    return undefined;
  }

  function restoreFocus(key) {
    if (!key) return;
    let el;
    if (key.id) el = document.getElementById(key.id);
    else el = Array.from(view.querySelectorAll('a')).find((a) => a.getAttribute('href') === key.href) || null;
    if (el) el.focus({ preventScroll: true });
  }

  // ── hydration: players, quizzes ─────────────────────────────────────────────────────────────

  function hydrate(root) {
    for (const media of root.querySelectorAll('video[data-hls], video[data-fallback], audio[data-hls], audio[data-fallback]')) setUpMedia(media);
    for (const mount of root.querySelectorAll('.quiz-mount')) mountQuiz(mount);
    for (const button of root.querySelectorAll('button.thumb')) {
      button.addEventListener('click', () => {
        const media = button.closest('.asset-body').querySelector('video, audio');
        seek(media, Number(button.getAttribute('data-seek')));
      });
    }
  }

  let hlsLoading;
  function loadHls() {
    if (window.Hls) return Promise.resolve(window.Hls);
    hlsLoading =
      hlsLoading ||
      new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = config.hlsUrl;
        script.onload = () => (window.Hls ? resolve(window.Hls) : reject(new Error('hls.js did not load')));
        script.onerror = () => reject(new Error(`could not load ${config.hlsUrl}`));
        document.head.appendChild(script);
      });
    return hlsLoading;
  }

  function crossOrigin(url) {
    if (location.protocol === 'file:') return false;
    try {
      return new URL(url, location.href).origin !== location.origin;
    } catch {
      return false;
    }
  }

  const players = new WeakMap();

  function setUpMedia(media) {
    const hlsUrl = media.getAttribute('data-hls');
    const fallback = media.getAttribute('data-fallback');
    if (crossOrigin(hlsUrl || fallback)) media.crossOrigin = 'anonymous';
    const state = { ready: undefined, hls: undefined };
    players.set(media, state);
    const engine = media.closest('figure').querySelector('.player-engine');
    const say = (text) => {
      media.setAttribute('data-engine', text);
      if (engine) engine.textContent = ` · ${text}`;
    };
    const useFallback = () => {
      if (state.hls) state.hls.destroy();
      state.hls = undefined;
      if (!fallback) return say('cannot play');
      media.src = fallback;
      say(media.tagName === 'VIDEO' ? 'MP4 fallback' : 'M4A fallback');
    };
    const start = () => {
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
            hls.on(Hls.Events.ERROR, (_event, data) => {
              if (data.fatal) useFallback();
            });
            hls.attachMedia(media);
            hls.loadSource(hlsUrl);
            await new Promise((resolve) => {
              hls.once(Hls.Events.MANIFEST_PARSED, resolve);
              hls.once(Hls.Events.ERROR, resolve);
            });
            if (state.hls) say('streaming with hls.js');
            return undefined;
          }
        } catch {
          // hls.js could not be loaded: native HLS or the fallback file below.
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

  async function seek(media, seconds) {
    const state = players.get(media);
    if (state) await state.start();
    const go = () => {
      media.currentTime = seconds;
      void media.play().catch(() => undefined);
    };
    if (media.readyState >= 1) go();
    else media.addEventListener('loadedmetadata', go, { once: true });
  }

  function teardown(media) {
    const state = players.get(media);
    if (!state) return;
    if (state.observer) state.observer.disconnect();
    if (state.hls) state.hls.destroy();
    players.delete(media);
  }

  // ── quizzes ─────────────────────────────────────────────────────────────────────────────────

  function embeddedQuiz(url) {
    for (const c of catalog.courses) for (const l of c.lessons) for (const a of l.assets) if (a.published && a.published.quiz && a.published.outputs.some((o) => o.url === url)) return a.published.quiz;
    return undefined;
  }

  /** Inserts sanitised HTML, resolving its relative links and images against the quiz's own URL. */
  function setRich(element, html, baseUrl) {
    const template = document.createElement('template');
    template.innerHTML = html;
    const base = new URL(baseUrl, location.href);
    for (const el of template.content.querySelectorAll('.rich img[src], .rich a[href], img[src].rich, a[href].rich')) {
      const attr = el.tagName === 'IMG' ? 'src' : 'href';
      const value = el.getAttribute(attr);
      if (value && !/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(value)) el.setAttribute(attr, new URL(value, base).href);
    }
    element.replaceChildren(template.content);
  }

  async function mountQuiz(mount) {
    const url = mount.getAttribute('data-quiz-url');
    const prefix = mount.getAttribute('data-quiz-id');
    let data = embeddedQuiz(url);
    try {
      if (!data) {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        data = await response.json();
      }
    } catch (error) {
      mount.innerHTML = `<p class="note">The quiz could not be loaded (${render.escapeHtml(error.message)}). <a href="${render.escapeHtml(url)}">Open quiz.json</a>.</p>`;
      return;
    }
    const article = mount.closest('article');
    const fallbackTitle = article ? article.getAttribute('data-file') : 'Quiz';
    setRich(mount, quizKit.renderQuiz(data, prefix, { fallbackTitle }), url);
    const form = mount.querySelector('form');
    const check = (index) => {
      const question = data.questions[index];
      const result = quizKit.scoreQuestion(question, quizKit.readResponse(form, question, index, prefix));
      const item = form.querySelector(`#${prefix}-q${index}`);
      item.setAttribute('data-state', result.state);
      setRich(form.querySelector(`#${prefix}-q${index}-result`), quizKit.renderResult(question, result), url);
    };
    form.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-check]');
      if (button) check(Number(button.getAttribute('data-check')));
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const responses = data.questions.map((q, i) => quizKit.readResponse(form, q, i, prefix));
      data.questions.forEach((q, i) => {
        if (q.type !== 'description') check(i);
      });
      form.querySelector(`#${prefix}-total`).innerHTML = quizKit.renderTotal(quizKit.scoreQuiz(data, responses));
    });
    form.addEventListener('reset', () => {
      requestAnimationFrame(() => {
        for (const el of form.querySelectorAll('.q-result, .quiz-total')) el.replaceChildren();
        for (const el of form.querySelectorAll('[data-state]')) el.removeAttribute('data-state');
      });
    });
  }

  // ── start ───────────────────────────────────────────────────────────────────────────────────

  source.innerHTML = render.renderSource(catalog, { offline });
  show({ focus: Boolean(route.file) });
  if (config.live) window.setTimeout(poll, config.pollMs || 1000);
})();
