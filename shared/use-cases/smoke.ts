/**
 * The post-deploy smoke test: upload a tiny quiz under a reserved course, wait for its report,
 * fetch the published canonical quiz through the CDN URL, check its content, clean up the upload.
 * Every step says what it checked; any failure makes the whole test fail.
 */
import type { ObjectStore } from '../ports/object-store.js';
import { reportKey, type UploadReport } from '../report.js';

export const SMOKE_COURSE = 'lectern-smoke';

export interface SmokeStep {
  step: string;
  ok: boolean;
  detail: string;
}

export interface SmokeEnvironment {
  uploads: ObjectStore;
  /** Puts the upload where educators would (S3 put; locally also runs the pipeline). */
  submit: (key: string, bytes: Uint8Array) => Promise<void>;
  fetch: (url: string) => Promise<{ status: number; text: () => Promise<string> }>;
  timeoutMs: number;
  pollMs?: number;
  now?: () => Date;
}

export async function runSmoke(env: SmokeEnvironment): Promise<{ ok: boolean; steps: SmokeStep[] }> {
  const steps: SmokeStep[] = [];
  const stamp = (env.now ?? (() => new Date()))().toISOString().replace(/[^0-9]/g, '').slice(0, 14);
  const key = `courses/${SMOKE_COURSE}/lessons/smoke/smoke-${stamp}.quiz.yaml`;
  const marker = `lectern smoke ${stamp}`;
  const quiz = `title: ${marker}\nquestions:\n  - type: true-false\n    stem: The smoke test can publish a quiz.\n    correct: true\n`;
  const record = (step: string, ok: boolean, detail: string) => {
    steps.push({ step, ok, detail });
    return ok;
  };
  try {
    await env.submit(key, new TextEncoder().encode(quiz));
    record('upload', true, key);
    const report = await waitForReport(env, key);
    if (!record('processed', report?.status === 'published', report ? `${report.status}${report.reasons.length ? `: ${report.reasons.map((r) => r.message).join('; ')}` : ''}` : `no report after ${env.timeoutMs} ms`)) {
      return { ok: false, steps };
    }
    const response = await env.fetch(report!.url!);
    const body = await response.text();
    if (!record('fetched through the CDN', response.status === 200, `${response.status} ${report!.url}`)) return { ok: false, steps };
    let title: unknown;
    try {
      title = (JSON.parse(body) as { title?: unknown }).title;
    } catch {
      title = undefined;
    }
    record('content', title === marker, title === marker ? 'the published quiz is the one uploaded' : `expected title "${marker}", got ${JSON.stringify(title)}`);
  } catch (error) {
    record('error', false, (error as Error).message);
  } finally {
    try {
      await env.uploads.delete(key);
      await env.uploads.delete(reportKey(key));
      record('clean up', true, 'removed the smoke upload and its report');
    } catch (error) {
      record('clean up', false, (error as Error).message);
    }
  }
  return { ok: steps.every((s) => s.ok), steps };
}

async function waitForReport(env: SmokeEnvironment, key: string): Promise<UploadReport | undefined> {
  const deadline = Date.now() + env.timeoutMs;
  let last: UploadReport | undefined;
  while (Date.now() < deadline) {
    const bytes = await env.uploads.get(reportKey(key)).catch(() => undefined);
    if (bytes) {
      last = JSON.parse(new TextDecoder().decode(bytes)) as UploadReport;
      if (last.status !== 'processing') return last;
    }
    await new Promise((resolve) => setTimeout(resolve, env.pollMs ?? 2000));
  }
  return last;
}
