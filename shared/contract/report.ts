/**
 * The status report educators read: `_reports/<same key>.json` in the upload bucket, beside the
 * upload. It is a view of the database row, rewritten at every transition.
 */
import type { Reason } from './errors.js';
import type { ObjectStore } from '../ports/object-store.js';

export const REPORTS_PREFIX = '_reports/';

export interface UploadReport {
  key: string;
  assetVersionId: string;
  status: 'processing' | 'published' | 'rejected' | 'failed';
  kind?: string;
  format?: string;
  reasons: Reason[];
  warnings: Reason[];
  url?: string;
  outputs?: Array<{ name: string; url: string }>;
  metadata?: Record<string, unknown>;
  receivedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** For failures: what ops run to retry, once the cause is fixed. */
  replay?: string;
  executionId: string;
}

export function reportKey(sourceKey: string): string {
  return `${REPORTS_PREFIX}${sourceKey}.json`;
}

export async function writeReport(uploads: ObjectStore, report: UploadReport): Promise<string> {
  const key = reportKey(report.key);
  await uploads.put(key, `${JSON.stringify(report, null, 2)}\n`, { contentType: 'application/json', cacheControl: 'no-cache' });
  return key;
}
