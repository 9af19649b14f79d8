/**
 * A view brought up to date in place when new data arrives (lectern dev): on a lesson page the
 * file cards are reconciled one by one — a playing video keeps playing, a quiz keeps its answers
 * — and elsewhere the view is replaced only if it changed, focus kept where it was. What
 * changed is also said, for a screen reader.
 */
import type { PreviewCatalog } from '../catalog.js';
import { teardown } from './media-player.js';

/** Puts `html` (the current route's view, rendered from the new data) into `view`; `hydrate` readies what is new. */
export function refreshView(view: HTMLElement, html: string, lessonView: boolean, hydrate: (root: Element) => void): void {
  const fresh = document.createElement('div');
  fresh.innerHTML = html;
  const stack = view.querySelector<HTMLElement>('.asset-stack');
  const freshStack = fresh.querySelector<HTMLElement>('.asset-stack');
  if (!lessonView || !stack || !freshStack || stack.getAttribute('data-lesson') !== freshStack.getAttribute('data-lesson')) {
    if (view.innerHTML === fresh.innerHTML) return;
    const focused = focusKey(view);
    view.replaceChildren(...fresh.childNodes);
    hydrate(view);
    restoreFocus(view, focused);
    return;
  }
  // The lesson view: replace what changed around the files, reconcile the files one by one.
  const oldChildren = Array.from(view.children);
  const newChildren = Array.from(fresh.children);
  if (oldChildren.length !== newChildren.length || oldChildren.some((el, i) => el.tagName !== newChildren[i]!.tagName || el.className !== newChildren[i]!.className)) {
    const focused = focusKey(view);
    const split = newChildren.indexOf(freshStack);
    for (const el of oldChildren) if (el !== stack) el.remove();
    newChildren.forEach((el, i) => {
      if (i < split) view.insertBefore(el, stack);
      else if (i > split) view.appendChild(el);
    });
    restoreFocus(view, focused);
  } else {
    oldChildren.forEach((el, i) => {
      const next = newChildren[i]!;
      if (el !== stack && el.outerHTML !== next.outerHTML) el.replaceWith(next);
    });
  }
  reconcileAssets(stack, freshStack, hydrate);
}

function reconcileAssets(stack: HTMLElement, freshStack: HTMLElement, hydrate: (root: Element) => void): void {
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

function focusKey(view: HTMLElement): { id?: string; href?: string | null; text?: string | null } | undefined {
  const el = document.activeElement;
  if (!el || !view.contains(el)) return undefined;
  if (el.id) return { id: el.id };
  if (el.tagName === 'A') return { href: el.getAttribute('href'), text: el.textContent };
  return undefined;
}

function restoreFocus(view: HTMLElement, key: ReturnType<typeof focusKey>): void {
  if (!key) return;
  const el = key.id ? document.getElementById(key.id) : Array.from(view.querySelectorAll('a')).find((a) => a.getAttribute('href') === key.href);
  if (el) el.focus({ preventScroll: true });
}

/** Which files reached a new state ("intro.gift: published"), for the page's live region; none when more than five did. */
export function announcement(before: PreviewCatalog, after: PreviewCatalog): string | undefined {
  const old = states(before);
  const messages: string[] = [];
  for (const [key, state] of states(after)) {
    if (old.get(key) !== state && state !== 'processing') messages.push(`${key.split('/').pop()}: ${state}`);
  }
  return messages.length > 0 && messages.length <= 5 ? messages.join('. ') : undefined;
}

function states(data: PreviewCatalog): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of data.courses) for (const l of c.lessons) for (const a of l.assets) map.set(`${c.slug}/${l.slug}/${a.fileName}`, a.state);
  return map;
}
