/**
 * A fixed number of slots taken in arrival order: `take` resolves at once while one is free, else
 * when every earlier taker has been served. There is no timeout: a wait is as long as the queue
 * ahead of it. (The database pool's queue and the local orchestrator's running executions.)
 */
export class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(count: number) {
    this.#free = count;
  }

  /** Takers waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  take(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
