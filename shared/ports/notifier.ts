/**
 * Educator notifications: publications and rejections, with course and lesson as message
 * attributes so a subscription can filter by course. SNS in AWS; a JSON-lines log locally.
 */
import type { Reason } from '../contract/errors.js';

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

/**
 * A scheduled class whose content is not ready (or is again): sent by the readiness sweep once per
 * lesson, class time and threshold. `audience` and `severity` are message attributes, so the ops
 * page can be routed to an on-call tool and the educator warnings to the course's educators.
 */
export interface ReadinessNotification {
  type: 'readiness';
  /** `T-24h`, `T-2h`, `T-30m`, `missed`, `all-clear@T-2h`. */
  alert: string;
  kind: 'at-risk' | 'missed' | 'all-clear';
  audience: 'educator' | 'ops';
  severity: 'info' | 'warning' | 'critical';
  course: string;
  lesson: string;
  scheduledAt: string;
  state: 'ready' | 'at-risk' | 'missed';
  /** One line per expected file that is not ready: what, why (line and column), the fix. */
  missing: string[];
  message: string;
}

export type Notification = UploadNotification | ReadinessNotification;

export interface Notifier {
  notify(notification: Notification): Promise<void>;
}
