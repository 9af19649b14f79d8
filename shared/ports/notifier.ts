/**
 * Educator notifications: publications and rejections, with course and lesson as message
 * attributes so a subscription can filter by course. SNS in AWS; a JSON-lines log locally.
 */
import type { Reason } from '../errors.js';

export interface UploadNotification {
  status: 'published' | 'rejected';
  key: string;
  assetVersionId: string;
  course?: string;
  lesson?: string;
  kind?: string;
  url?: string;
  reasons: Reason[];
}

export interface Notifier {
  notify(notification: UploadNotification): Promise<void>;
}
