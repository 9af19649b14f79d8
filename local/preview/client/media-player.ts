/**
 * The preview's video and audio players: HLS through hls.js (loaded on demand from the local
 * install), else the browser's native HLS, else the MP4/M4A fallback; a stream is loaded only
 * once its player is about to be seen or asked to play.
 */

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

let hlsLoading: Promise<HlsConstructor> | undefined;
function loadHls(scriptUrl: string): Promise<HlsConstructor> {
  if (window.Hls) return Promise.resolve(window.Hls);
  hlsLoading =
    hlsLoading ||
    new Promise<HlsConstructor>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = scriptUrl;
      script.onload = () => (window.Hls ? resolve(window.Hls) : reject(new Error('hls.js did not load')));
      script.onerror = () => reject(new Error(`could not load ${scriptUrl}`));
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

/** Readies a player rendered by the views; `hlsScriptUrl` is where hls.js is served. */
export function setUpMedia(media: HTMLMediaElement, hlsScriptUrl: string): void {
  const hlsUrl = media.getAttribute('data-hls');
  const fallback = media.getAttribute('data-fallback');
  if (crossOrigin(hlsUrl || fallback || '')) media.crossOrigin = 'anonymous';
  const state: PlayerState = {};
  players.set(media, state);
  // Every source the player gives the element (hls.js attaching, the fallback file) aborts a play()
  // asked for before it, without a pause event: a viewer who pressed play while the player was still
  // choosing (or switching to the fallback) gets playback once it has chosen, not a second press.
  let playWanted = false;
  media.addEventListener('play', () => (playWanted = true));
  media.addEventListener('pause', () => (playWanted = false));
  const resume = (): void => {
    if (playWanted && media.paused) void media.play().catch(() => undefined);
  };
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
    resume();
  };
  const start = (): Promise<void> => {
    if (state.ready) return state.ready;
    state.ready = (async () => {
      if (!hlsUrl) return useFallback();
      try {
        const Hls = await loadHls(hlsScriptUrl);
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
  media.addEventListener('play', () => void start().then(resume), { once: true });
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

/** Plays `media` from `seconds`, loading its stream first if it was not yet. */
export async function seek(media: HTMLMediaElement, seconds: number): Promise<void> {
  const state = players.get(media);
  if (state?.start) await state.start();
  const go = () => {
    media.currentTime = seconds;
    void media.play().catch(() => undefined);
  };
  if (media.readyState >= 1) go();
  else media.addEventListener('loadedmetadata', go, { once: true });
}

/** Stops a player's stream and observer before its element leaves the page. */
export function teardown(media: HTMLMediaElement): void {
  const state = players.get(media);
  if (!state) return;
  if (state.observer) state.observer.disconnect();
  if (state.hls) state.hls.destroy();
  players.delete(media);
}
