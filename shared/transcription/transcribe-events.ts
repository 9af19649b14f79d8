/**
 * "Transcribe Job State Change" events (EventBridge, source `aws.transcribe`): Amazon Transcribe
 * sends one when a job ends, COMPLETED or FAILED. Pure and tolerant: anything else is ignored
 * with a reason.
 */
import type { TranscriptionStatus } from '../ports/transcriber.js';

export const TRANSCRIBE_EVENT_SOURCE = 'aws.transcribe';
export const TRANSCRIBE_EVENT_DETAIL_TYPE = 'Transcribe Job State Change';

export interface TranscriptionStateChange {
  jobName: string;
  status: TranscriptionStatus;
  time: string;
}

const STATUSES: readonly string[] = ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'];

export function parseTranscriptionStateChange(event: unknown): TranscriptionStateChange | { ignored: string } {
  const e = (event ?? {}) as Record<string, unknown>;
  if (e.source !== TRANSCRIBE_EVENT_SOURCE || e['detail-type'] !== TRANSCRIBE_EVENT_DETAIL_TYPE) {
    return { ignored: `not a ${TRANSCRIBE_EVENT_DETAIL_TYPE} event (${String(e['detail-type'] ?? 'no detail-type')})` };
  }
  const d = (e.detail ?? {}) as Record<string, unknown>;
  const jobName = typeof d.TranscriptionJobName === 'string' ? d.TranscriptionJobName : undefined;
  const status = typeof d.TranscriptionJobStatus === 'string' ? d.TranscriptionJobStatus : undefined;
  if (!jobName || !status || !STATUSES.includes(status)) return { ignored: `event without a job name or a known status (${String(status)})` };
  return { jobName, status: status as TranscriptionStatus, time: typeof e.time === 'string' ? e.time : new Date(0).toISOString() };
}
