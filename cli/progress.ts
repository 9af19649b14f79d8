/**
 * What `lectern run` shows while it works. On a terminal: one live line — done/total, rejected and
 * failed so far, elapsed time, an estimate of what is left, and each video's transcode percentage.
 * Elsewhere (a pipe, CI logs): one line per finished upload. Colour only where the terminal has
 * it (`NO_COLOR` and `FORCE_COLOR` honoured, through Node's `hasColors`).
 */
import type { UploadResult } from '../local/local-stack.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  hasColors?: () => boolean;
}

export interface Progress {
  started(key: string): void;
  finished(key: string, result: UploadResult): void;
  /** Transcode percentage of uploads in flight, by key. */
  transcoding(percent: Map<string, number>): void;
  /** Clears the live line (before the summary). */
  end(): void;
}

export interface Painter {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

export function painter(stream: ProgressStream): Painter {
  const on = Boolean(stream.isTTY && stream.hasColors?.());
  const paint = (code: number, reset: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[${reset}m` : text);
  return { green: paint(32, 39), red: paint(31, 39), yellow: paint(33, 39), dim: paint(2, 22) };
}

export function createProgress(stream: ProgressStream, total: number, now: () => number = Date.now): Progress {
  const color = painter(stream);
  const startedAt = now();
  const inFlight = new Map<string, number | undefined>();
  const counts = { done: 0, published: 0, rejected: 0, failed: 0 };
  const live = Boolean(stream.isTTY);
  let shown = false;

  const line = () => {
    const elapsed = now() - startedAt;
    const eta = counts.done > 0 && counts.done < total ? ` · about ${clock((elapsed / counts.done) * (total - counts.done))} left` : '';
    const bad = [counts.rejected > 0 ? color.red(`${counts.rejected} rejected`) : `0 rejected`, counts.failed > 0 ? color.red(`${counts.failed} failed`) : '0 failed'].join(' · ');
    const videos = [...inFlight].filter(([, p]) => p !== undefined).map(([key, p]) => `${key.slice(key.lastIndexOf('/') + 1)} ${p}%`);
    return `lectern: ${counts.done}/${total} done · ${bad} · ${clock(elapsed)} elapsed${eta}${videos.length > 0 ? ` · ${videos.join(', ')}` : ''}`;
  };
  const draw = () => {
    if (!live) return;
    stream.write(`\r\u001b[2K${line()}`);
    shown = true;
  };
  const timer = live ? setInterval(draw, 1000) : undefined;
  timer?.unref();

  return {
    started(key) {
      inFlight.set(key, undefined);
      draw();
    },
    finished(key, result) {
      inFlight.delete(key);
      counts.done++;
      counts[result.status]++;
      if (live) draw();
      else {
        const mark = result.status === 'published' ? color.green(result.status) : color.red(result.status);
        stream.write(`lectern: [${counts.done}/${total}] ${mark} ${key}\n`);
      }
    },
    transcoding(percent) {
      for (const key of inFlight.keys()) if (percent.has(key)) inFlight.set(key, percent.get(key));
      draw();
    },
    end() {
      if (timer) clearInterval(timer);
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}

/** 75_000 → "1:15"; an hour or more → "1:02:05". */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
