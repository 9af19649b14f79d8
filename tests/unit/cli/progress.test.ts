/**
 * What `lectern run` shows while it works: a live line on a terminal, one line per upload
 * elsewhere, colour only where the terminal has it.
 */
import { describe, expect, it } from 'vitest';
import { clock, createProgress, type ProgressStream } from '../../../cli/progress.js';
import type { UploadResult } from '../../../local/local-stack.js';

function stream(tty: boolean, colors = false): ProgressStream & { text: string } {
  const s = {
    text: '',
    isTTY: tty,
    hasColors: () => colors,
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s;
}

const result = (key: string, status: UploadResult['status']): UploadResult => ({ key, status, reasons: [], warnings: [], assetVersionId: `av-${key}`, durationMs: 1 });
/** The live line as the terminal shows it now: the text after the last erase. */
const shown = (text: string) => text.slice(text.lastIndexOf('\r\u001b[2K') + '\r\u001b[2K'.length);

describe('lectern run progress', () => {
  it('on a terminal, redraws one line with done/total, rejected and failed, elapsed, ETA and each video\'s percentage', () => {
    let now = 0;
    const out = stream(true);
    const progress = createProgress(out, 4, () => now);
    progress.started('courses/c/lessons/l/a.gift');
    progress.started('courses/c/lessons/l/lecture.mp4');
    now = 10_000;
    progress.finished('courses/c/lessons/l/a.gift', result('a.gift', 'rejected'));
    expect(shown(out.text)).toBe('lectern: 1/4 done · 1 rejected · 0 failed · 0:10 elapsed · about 0:30 left');
    progress.transcoding(new Map([['courses/c/lessons/l/lecture.mp4', 42]]));
    expect(shown(out.text)).toMatch(/ · lecture\.mp4 42%$/);
    now = 20_000;
    progress.finished('courses/c/lessons/l/lecture.mp4', result('lecture.mp4', 'failed'));
    expect(shown(out.text)).toBe('lectern: 2/4 done · 1 rejected · 1 failed · 0:20 elapsed · about 0:20 left');
    expect(out.text).not.toContain('\n'); // one line, redrawn in place
    progress.end();
    expect(out.text.endsWith('\r\u001b[2K')).toBe(true); // cleared before the summary
  });

  it('elsewhere, writes one line per finished upload and no control characters', () => {
    const out = stream(false);
    const progress = createProgress(out, 2, () => 0);
    progress.started('k1');
    progress.finished('k1', result('k1', 'published'));
    progress.started('k2');
    progress.transcoding(new Map([['k2', 50]]));
    progress.finished('k2', result('k2', 'rejected'));
    progress.end();
    expect(out.text).toBe('lectern: [1/2] published k1\nlectern: [2/2] rejected k2\n');
  });

  it('colours counts only where the terminal has colours (NO_COLOR turns hasColors off)', () => {
    const plain = stream(true, false);
    const coloured = stream(true, true);
    for (const out of [plain, coloured]) {
      const progress = createProgress(out, 1, () => 0);
      progress.finished('k', result('k', 'failed'));
      progress.end();
    }
    expect(plain.text).not.toContain('\u001b[31m');
    expect(coloured.text).toContain('\u001b[31m1 failed\u001b[39m');
  });

  it('formats durations as m:ss, and h:mm:ss from an hour', () => {
    expect(clock(75_000)).toBe('1:15');
    expect(clock(3_725_000)).toBe('1:02:05');
  });
});
