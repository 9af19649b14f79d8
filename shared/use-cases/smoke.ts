/**
 * The post-deploy smoke test: upload a tiny quiz under a reserved course, wait for its report,
 * fetch the published canonical quiz through the CDN URL (on a signed stage: refused without a
 * grant, served with one), check its content, clean up the upload.
 * Every step says what it checked; any failure makes the whole test fail.
 */
import { DependencyUnavailableError } from '../errors.js';
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
  fetch: (url: string, cookie?: string) => Promise<{ status: number; text: () => Promise<string> }>;
  /**
   * On a signed stage: a grant for a course, as a Cookie header. Then the smoke test also checks
   * that the CDN refuses the file without it (403) and serves it with it (200).
   */
  grant?: (course: string) => Promise<string>;
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
    let cookie: string | undefined;
    if (env.grant) {
      const refused = await env.fetch(report!.url!);
      if (!record('refused without a grant', refused.status === 403, `${refused.status} ${report!.url}${refused.status === 403 ? '' : ' (expected 403: is courses/* trusting the key group?)'}`)) return { ok: false, steps };
      cookie = await env.grant(SMOKE_COURSE);
      record('granted', true, `signed cookies for ${SMOKE_COURSE}`);
    }
    const response = await env.fetch(report!.url!, cookie);
    const body = await response.text();
    if (!record(cookie ? 'fetched through the CDN with the grant' : 'fetched through the CDN', response.status === 200, `${response.status} ${report!.url}`)) return { ok: false, steps };
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
    const bytes = await env.uploads.get(reportKey(key)).catch((error: unknown) => {
      // A throttled or briefly unreachable bucket is asked again; anything else (access denied,
      // a wrong bucket) is what the smoke test is there to find, not a report still to come.
      if (error instanceof DependencyUnavailableError) return undefined;
      throw error;
    });
    if (bytes) {
      last = JSON.parse(new TextDecoder().decode(bytes)) as UploadReport;
      if (last.status !== 'processing') return last;
    }
    await new Promise((resolve) => setTimeout(resolve, env.pollMs ?? 2000));
  }
  return last;
}
