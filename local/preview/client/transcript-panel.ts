/** The transcript beside a captioned player, from its default caption track. */
import { formatClock } from './format.js';
import { seek } from './media-player.js';

/**
 * The default caption track's cues as a list beside the player: each cue a button that plays from
 * its start, the cue being spoken marked as current.
 */
export function showTranscript(media: HTMLMediaElement, list: HTMLOListElement): void {
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
