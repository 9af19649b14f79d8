/**
 * Word timings → WebVTT cues a person can read: at most two lines of at most 42 characters and at
 * most 7 seconds each (the BBC / Netflix subtitle guidelines; also what Transcribe's own WebVTT
 * output keeps to). Pure. The local twin (pocketsphinx) produces word timings; so could any
 * recogniser. A new cue also starts after a pause (≥ 1 s of silence), so a cue never stays on
 * screen across a silence.
 */

export interface TimedWord {
  text: string;
  /** Seconds from the start of the media. */
  start: number;
  end: number;
}

export interface Cue {
  start: number;
  end: number;
  /** One or two lines. */
  lines: string[];
}

export const CUE_LIMITS = { maxLines: 2, maxLineChars: 42, maxSeconds: 7, pauseSeconds: 1 } as const;

/** Greedy line filling: the words in order, a new line (then a new cue) when the next would not fit. */
export function cuesFromWords(words: readonly TimedWord[], limits = CUE_LIMITS): Cue[] {
  const cues: Cue[] = [];
  let current: { start: number; end: number; lines: string[] } | undefined;
  for (const raw of words) {
    const text = raw.text.replace(/\s+/g, ' ').trim();
    if (!text || !(raw.end >= raw.start)) continue;
    // A single word longer than a line is cut (a URL read out, say): it must still fit a line.
    const word = [...text].length > limits.maxLineChars ? [...text].slice(0, limits.maxLineChars - 1).join('') + '…' : text;
    if (current) {
      const last = current.lines[current.lines.length - 1] as string;
      const fitsLine = [...last].length + 1 + [...word].length <= limits.maxLineChars;
      const tooLong = raw.end - current.start > limits.maxSeconds;
      const paused = raw.start - current.end >= limits.pauseSeconds;
      if (!tooLong && !paused && fitsLine) {
        current.lines[current.lines.length - 1] = `${last} ${word}`;
        current.end = raw.end;
        continue;
      }
      if (!tooLong && !paused && current.lines.length < limits.maxLines) {
        current.lines.push(word);
        current.end = raw.end;
        continue;
      }
      cues.push(current);
    }
    current = { start: raw.start, end: Math.min(raw.end, raw.start + limits.maxSeconds), lines: [word] };
  }
  if (current) cues.push(current);
  // Cues never overlap and never last zero time.
  for (const [i, cue] of cues.entries()) {
    const next = cues[i + 1];
    if (next && cue.end > next.start) cue.end = next.start;
    if (cue.end <= cue.start) cue.end = cue.start + 0.001;
  }
  return cues;
}

/** `hh:mm:ss.ttt`. */
export function vttTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** A WebVTT file of the cues (text escaped: `&`, `<`, `>`). */
export function toWebVtt(cues: readonly Cue[], header?: string): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const blocks = cues.map((cue) => `${vttTime(cue.start)} --> ${vttTime(cue.end)}\n${cue.lines.map(escape).join('\n')}`);
  return `WEBVTT${header ? ` - ${header.replace(/[\r\n]+/g, ' ')}` : ''}\n\n${blocks.join('\n\n')}${blocks.length ? '\n' : ''}`;
}
