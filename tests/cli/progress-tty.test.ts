/**
 * `lectern run` on a real terminal (a pseudo-terminal from util-linux's `script`): the live line
 * is drawn in place, coloured unless NO_COLOR is set, and cleared before the summary.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LECTERN_BIN } from '../helpers/lectern-cli.js';
import { BROKEN_GIFT, GOOD_GIFT } from '../helpers/upload-fixtures.js';

const run = promisify(execFile);
/** The escape that starts each terminal control sequence. */
const ESC = '\u001b';
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs `lectern run <folder>` with its output on a pseudo-terminal; returns what the terminal received. */
async function onTerminal(folder: string, stateDir: string, env: Record<string, string | undefined>): Promise<string> {
  const command = [process.execPath, LECTERN_BIN, 'run', folder, '--state-dir', stateDir].map(quote).join(' ');
  // A colour terminal as a user has it: CI=true (the CI runner's) makes Node report two colours.
  const base: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['CI', 'NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS']) delete base[name];
  const merged = Object.fromEntries(Object.entries({ ...base, ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const { stdout } = await run('script', ['-qefc', command, '/dev/null'], {
    env: merged,
    maxBuffer: 20 * 1024 * 1024,
  }).catch((error: { stdout: string }) => error); // one upload is rejected: exit code 1
  return stdout;
}

describe('lectern run on a terminal', { timeout: 300_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lectern-tty-'));
    const lesson = path.join(dir, 'course/courses/bio-101/lessons/week-1');
    await mkdir(lesson, { recursive: true });
    await writeFile(path.join(lesson, 'intro.gift'), GOOD_GIFT);
    await writeFile(path.join(lesson, 'broken.gift'), BROKEN_GIFT);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('draws a live done/total line in place, in colour, then clears it for the summary', async () => {
    const screen = await onTerminal(path.join(dir, 'course'), path.join(dir, 'state-colour'), {});
    expect(screen).toMatch(new RegExp(`\r${ESC}\\[2Klectern: 2/2 done · ${ESC}\\[31m1 rejected${ESC}\\[39m · 0 failed · \\d+:\\d\\d elapsed`));
    expect(screen).not.toMatch(/lectern: \[\d\/2\]/); // no per-upload lines on a terminal
    expect(screen).toContain('broken.gift'); // the summary names the rejection
  });

  it('honours NO_COLOR', async () => {
    const screen = await onTerminal(path.join(dir, 'course'), path.join(dir, 'state-plain'), { NO_COLOR: '1' });
    expect(screen).toContain(`\r${ESC}[2Klectern: 2/2 done · 1 rejected · 0 failed`);
    expect(screen).not.toContain('\u001b[31m');
  });
});
