/**
 * Finding and running pocketsphinx (Debian's `pocketsphinx` + `pocketsphinx-en-us`), the speech
 * recogniser behind the local twin of Amazon Transcribe. Two command lines exist:
 *
 * - pocketsphinx 0.8 / 5prealpha (Debian bookworm): `pocketsphinx_continuous -infile x.wav -time yes`
 *   prints each utterance's text, then one line per word: `word start end confidence`;
 * - pocketsphinx 5: `pocketsphinx single x.wav` prints one JSON object per utterance, with its
 *   words under `w` (`{ t, b, d }`: text, begin and duration in seconds).
 *
 * Both read 16 kHz mono 16-bit WAV, which ffmpeg extracts from the media first. Fillers (`<s>`,
 * `<sil>`, `[NOISE]`, `++UH++`) are dropped and alternative-pronunciation suffixes (`the(2)`) removed.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TimedWord } from '../shared/transcription/timed-words.js';

export const POCKETSPHINX_INSTALL_HINT =
  'Automatic captions on the local stack (the twin of Amazon Transcribe) need pocketsphinx and its English model, which are not installed here. Install them — `apt-get install pocketsphinx pocketsphinx-en-us` on Debian/Ubuntu — or point LECTERN_POCKETSPHINX at a pocketsphinx binary, then publish the video again (`lectern replay`).';

export interface Pocketsphinx {
  binary: string;
  /** `continuous`: pocketsphinx_continuous (0.8, 5prealpha); `single`: pocketsphinx 5's `pocketsphinx single`. */
  cli: 'continuous' | 'single';
}

/**
 * The binary named (option, else `LECTERN_POCKETSPHINX`), or the first of `pocketsphinx_continuous`
 * and `pocketsphinx` on the PATH that runs; which command line it speaks is decided by its name and
 * what it answers.
 */
export function locatePocketsphinx(explicit?: string): Pocketsphinx | undefined {
  const named = explicit ?? process.env.LECTERN_POCKETSPHINX;
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const candidates = named ? [named] : ['pocketsphinx_continuous', 'pocketsphinx'].flatMap((name) => dirs.map((dir) => path.join(dir, name)));
  for (const candidate of [...new Set(candidates)]) {
    const found = probe(candidate);
    if (found) return found;
  }
  return undefined;
}

function probe(binary: string): Pocketsphinx | undefined {
  if (/pocketsphinx_continuous$/.test(path.basename(binary))) {
    // 0.8 has no --version; with no arguments it prints its usage and exits non-zero, but it runs.
    const result = spawnSync(binary, ['-help', 'yes'], { encoding: 'utf8', timeout: 10_000 });
    return result.error ? undefined : { binary, cli: 'continuous' };
  }
  // pocketsphinx 5: `pocketsphinx help` lists the sub-commands (`single`, `live`, …).
  const result = spawnSync(binary, ['help'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return undefined;
  const said = `${result.stdout}\n${result.stderr}`;
  if (/\bsingle\b/.test(said)) return { binary, cli: 'single' };
  return { binary, cli: /-infile/.test(said) ? 'continuous' : 'single' };
}

/** The recognised words of a 16 kHz mono WAV file, with their times. */
export async function recognise(ps: Pocketsphinx, wav: string): Promise<TimedWord[]> {
  const args = ps.cli === 'continuous' ? ['-infile', wav, '-time', 'yes', '-logfn', '/dev/null'] : ['single', wav];
  const { stdout, stderr, code } = await runProcess(ps.binary, args);
  if (code !== 0) {
    const tail = stderr.trim().split('\n').slice(-3).join(' ');
    const model = /acoustic model|hmm|\.dict|language model|No such file/i.test(stderr) ? ' (is pocketsphinx-en-us installed?)' : '';
    throw new Error(`pocketsphinx exited with code ${code}${model}: ${tail}`);
  }
  return ps.cli === 'continuous' ? parseContinuousOutput(stdout) : parseSingleOutput(stdout);
}

/** `pocketsphinx_continuous -time yes` output → words (hypothesis lines are skipped). */
export function parseContinuousOutput(stdout: string): TimedWord[] {
  const words: TimedWord[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e-?\d+)?)$/.exec(line.trim());
    if (!match) continue;
    const word = cleanWord(match[1] as string);
    if (word) words.push({ text: word, start: Number(match[2]), end: Number(match[3]) });
  }
  return words;
}

/** `pocketsphinx single` output (JSON lines) → words. */
export function parseSingleOutput(stdout: string): TimedWord[] {
  const words: TimedWord[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    let utterance: { w?: Array<{ t?: unknown; b?: unknown; d?: unknown }> };
    try {
      utterance = JSON.parse(line) as typeof utterance;
    } catch {
      continue;
    }
    for (const w of utterance.w ?? []) {
      const word = typeof w.t === 'string' ? cleanWord(w.t) : undefined;
      const start = Number(w.b);
      const duration = Number(w.d);
      if (word && Number.isFinite(start) && Number.isFinite(duration)) words.push({ text: word, start, end: start + duration });
    }
  }
  return words;
}

function cleanWord(raw: string): string | undefined {
  if (/^(<.*>|\[.*\]|\+\+.*\+\+)$/.test(raw)) return undefined;
  const word = raw.replace(/\(\d+\)$/, '');
  return word || undefined;
}

function runProcess(binary: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      // Keep the tail only: pocketsphinx logs a lot.
      stderr = (stderr + d).slice(-8192);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}
