/** Local twins of the metrics and notification sinks: one JSON object per line in a file. */
import { appendInFolderSync } from '../util/in-folder.js';
import type { MetricName, MetricUnit, MetricsSink } from '../ports/metrics.js';
import type { Notification, Notifier } from '../ports/notifier.js';

/** One JSON line per value. */
function append(file: string, value: unknown): void {
  appendInFolderSync(file, `${JSON.stringify(value)}\n`);
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
