/**
 * Which folders of the local upload "bucket" changed since `lectern dev` last looked.
 *
 * `lectern dev` used to list and `stat` every upload on every poll (twice a second): with 10,000
 * uploads that kept a quarter of a core busy while nothing happened. Now each folder under
 * `courses/` is watched for file-system events (inotify on Linux: one watch per folder, which
 * reports the files created, written, moved and removed in it), and a poll lists again only the
 * folders that had events. A full scan at start and every `fullScanMs` catches whatever events
 * miss (a network drive, a folder whose watch could not be set up). Where watching fails
 * altogether (no watches left, a file system without events), every poll is a full scan, as before.
 *
 * A folder that appears is watched before it is listed, so a file created in it is either seen by
 * that listing or reported by its watch: `mkdir -p` followed at once by a copy is not missed.
 */
import { mkdirSync, readdirSync, statSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** What to list at this poll: every upload, or only the uploads under these key prefixes. */
export type Changed = { full: true } | { full: false; prefixes: string[] };

export interface UploadWatcherOptions {
  /** The upload bucket's folder (`<state-dir>/uploads`). */
  root: string;
  /** The key prefix that holds uploads (`courses/`). */
  prefix: string;
  /** A full scan at least this often, events or not. */
  fullScanMs: number;
  now?: () => number;
}

export class UploadWatcher {
  readonly #root: string;
  readonly #top: string;
  readonly #fullScanMs: number;
  readonly #now: () => number;
  /** A watch per folder, by its key prefix ('' for the bucket's own folder). */
  readonly #watches = new Map<string, FSWatcher>();
  /** Key prefixes with events since the last poll. */
  readonly #dirty = new Set<string>();
  #lastFull = Number.NEGATIVE_INFINITY;
  /** Set when a watch could not be made: every poll is then a full scan. */
  #degraded: string | undefined;

  constructor(options: UploadWatcherOptions) {
    this.#root = options.root;
    this.#top = options.prefix.replace(/\/+$/, '');
    this.#fullScanMs = options.fullScanMs;
    this.#now = options.now ?? Date.now;
  }

  /** Why events are not used (every poll is a full scan), if they are not. */
  get degraded(): string | undefined {
    return this.#degraded;
  }

  /**
   * Watches the bucket's folder (for `courses/` to appear) and every folder under `courses/`. The
   * bucket's folder is made if missing (a new state folder), so that it can be watched.
   */
  start(): void {
    mkdirSync(this.#root, { recursive: true });
    this.#watch('');
    this.#watchTree(this.#top);
  }

  /** What changed since the last call: a full scan when one is due or events cannot be trusted. */
  take(): Changed {
    const now = this.#now();
    if (this.#degraded !== undefined || now - this.#lastFull >= this.#fullScanMs) {
      this.#lastFull = now;
      this.#dirty.clear();
      return { full: true };
    }
    const prefixes = [...this.#dirty].map((dir) => `${dir}/`);
    this.#dirty.clear();
    return { full: false, prefixes: withoutNested(prefixes) };
  }

  close(): void {
    for (const watcher of this.#watches.values()) watcher.close();
    this.#watches.clear();
  }

  /** Watches `dir` and the folders under it, each before it is listed, and marks it changed. */
  #watchTree(dir: string): void {
    if (!this.#watch(dir)) return;
    this.#dirty.add(dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(this.#folder(dir), { withFileTypes: true });
    } catch {
      return; // gone meanwhile (its watch reports it)
    }
    for (const entry of entries) if (entry.isDirectory()) this.#watchTree(`${dir}/${entry.name}`);
  }

  /** Watches one folder; false when it does not exist (or watching failed: then degraded). */
  #watch(dir: string): boolean {
    if (this.#watches.has(dir)) return true;
    if (this.#degraded !== undefined) return false;
    let watcher: FSWatcher;
    try {
      watcher = watch(this.#folder(dir), { persistent: false }, (event, name) => this.#changed(dir, event, name === null ? undefined : String(name)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      // No watches left (ENOSPC: fs.inotify.max_user_watches), too many files open, no events here.
      this.#degrade(`${code ?? 'error'} watching ${this.#folder(dir)}`);
      return false;
    }
    watcher.on('error', () => this.#unwatch(dir));
    this.#watches.set(dir, watcher);
    return true;
  }

  #changed(dir: string, event: string, name: string | undefined): void {
    if (dir === '') {
      // The bucket's own folder: only `courses/` itself appearing (or going) matters here; the
      // pipeline's own folders (_work, _reports, .meta) are not watched.
      if (name === undefined || name === this.#top) this.#rewatch(this.#top);
      return;
    }
    this.#dirty.add(dir);
    // Writes to a file are 'change'; a file or folder created, removed or moved in is 'rename'.
    if (event === 'rename' && name !== undefined) this.#rewatch(`${dir}/${name}`);
  }

  /**
   * A folder (or file) created, removed, moved or replaced: its watches are made anew if it is a
   * folder now — a lesson folder removed and made again is a new folder to the kernel — and it is
   * listed with everything already in it.
   */
  #rewatch(dir: string): void {
    if (this.#watches.has(dir)) this.#unwatch(dir);
    if (statSync(this.#folder(dir), { throwIfNoEntry: false })?.isDirectory()) this.#watchTree(dir);
  }

  #unwatch(dir: string): void {
    for (const [key, watcher] of this.#watches) {
      if (key === dir || key.startsWith(`${dir}/`)) {
        watcher.close();
        this.#watches.delete(key);
      }
    }
    const parent = path.posix.dirname(dir);
    if (parent !== '.') this.#dirty.add(parent);
  }

  #degrade(why: string): void {
    this.#degraded = why;
    this.close();
  }

  #folder(dir: string): string {
    return dir === '' ? this.#root : path.join(this.#root, ...dir.split('/'));
  }
}

/** The prefixes, without those inside another one (listing a prefix lists everything under it). */
function withoutNested(prefixes: string[]): string[] {
  const sorted = [...new Set(prefixes)].sort();
  return sorted.filter((p, i) => !sorted.slice(0, i).some((q) => p.startsWith(q)));
}
