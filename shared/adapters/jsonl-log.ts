/** Local twins of the metrics and notification sinks: one JSON object per line in a file. */
import { appendFileSync } from 'node:fs';
import { inFolderSync } from '../util/in-folder.js';
import type { MetricName, MetricUnit, MetricsSink } from '../ports/metrics.js';
import type { Notification, Notifier } from '../ports/notifier.js';

/** Appends one line, creating the file's folder only when it is missing (not a recursive mkdir per line). */
function append(file: string, value: unknown): void {
  const line = `${JSON.stringify(value)}\n`;
  inFolderSync(file, () => appendFileSync(file, line));
}

export class JsonlMetrics implements MetricsSink {
  constructor(readonly file: string) {}
  add(name: MetricName, unit: MetricUnit, value: number, dimensions?: Record<string, string>): void {
    append(this.file, { timestamp: new Date().toISOString(), name, unit, value, ...(dimensions ? { dimensions } : {}) });
  }
}

export class JsonlNotifier implements Notifier {
  constructor(readonly file: string) {}
  async notify(notification: Notification): Promise<void> {
    append(this.file, { timestamp: new Date().toISOString(), ...notification });
  }
}
