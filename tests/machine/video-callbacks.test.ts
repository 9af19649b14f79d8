/**
 * The transcode callback paths, each through the real ASL on the local stack, on every database
 * dialect: SubmitTranscode waits on its task token; the ffmpeg twin emits MediaConvert's events to
 * the real transcode-events handler, which answers the task. The twin's `intercept` hook plays
 * EventBridge misbehaving: events lost, duplicated, late, or a job ending in ERROR.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MediaConvertEvent } from '../../local/ffmpeg-transcoder.js';
import { invokeLambda } from '../../local/lambda-invoker.js';
import type { TranscodeEventResult } from '../../shared/use-cases/transcode-events.js';
import { DIALECTS } from '../helpers/dialects.js';
import { openTestStack, type TestStack } from '../helpers/local-stack.js';
import { ffmpegAvailable, makeMedia, requireFfmpeg } from '../helpers/make-media.js';

const LESSON = 'courses/biology-101/lessons/mitosis';

const status = (event: MediaConvertEvent) => event.detail.status as string;

describe.runIf(ffmpegAvailable || requireFfmpeg()).each(DIALECTS)('transcode callbacks through publish-content ($name)', (dialect) => {
  let stack: TestStack;
  let clip: Uint8Array;
  let n = 0;
  /** A fresh key each time: every test is a new upload (a new asset version, a new job). */
  const key = (name: string) => `${LESSON}/${name}-${++n}.mp4`;

  // SubmitTranscode's HeartbeatSeconds/TimeoutSeconds (15 min / 2 h in the ASL), in ms. Generous by
  // default (a loaded CI machine must not lose a healthy job to a timeout); the lost-event tests
  // tighten them for themselves (the orchestrator reads this object at every task start).
  const RELAXED = { heartbeatMs: 120_000, timeoutMs: 280_000 };
  const timeouts = { SubmitTranscode: { ...RELAXED } };
  const tighten = (t: { heartbeatMs: number; timeoutMs: number }) => Object.assign(timeouts.SubmitTranscode, t);

  beforeAll(async () => {
    // The poll loop's Wait is 50 ms instead of 60 s.
    stack = await openTestStack(dialect, {}, { callbackTimeouts: timeouts, waitMs: 50 });
    clip = await makeMedia({ duration: 1, width: 160, height: 120 });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const history = async (name: string) => (await stack.orchestrator.describe(name))!.history;
  const entered = async (name: string) => (await history(name)).filter((e) => e.type === 'StateEntered').map((e) => e.state);
  const jobs = (assetVersionId: string) =>
    stack.db.selectFrom('transcode_jobs').selectAll().where('asset_version_id', '=', assetVersionId).orderBy('attempt').execute();

  function intercept(rule: (event: MediaConvertEvent) => MediaConvertEvent[]): void {
    stack.transcoder.intercept = rule;
  }
  afterEach(() => {
    stack.transcoder.intercept = undefined;
    stack.transcoder.failNextJobs.length = 0;
    Object.assign(timeouts.SubmitTranscode, RELAXED);
  });

  it('COMPLETE: the event answers the waiting task with the outputs; no polling', async () => {
    const result = await stack.upload(key('complete'), clip);
    expect(result).toMatchObject({ status: 'published', kind: 'video' });
    expect(await entered(result.assetVersionId)).toEqual([
      'ClassifyUpload', 'RouteByKind', 'ProbeVideo', 'CheckProbe', 'SubmitTranscode', 'VerifyOutputs', 'CheckVerdict', 'PublishAsset', 'InvalidateCdn', 'RecordOrDone', 'RecordPublished', 'CaptionsWanted', 'SubmitTranscription', 'TranscriptionDone', 'PublishCaptions', 'InvalidateCaptions', 'Published',
    ]);
    const [job] = await jobs(result.assetVersionId);
    expect(job).toMatchObject({ status: 'COMPLETE', progress: 100, error_code: null });
    expect(job!.events).toBeGreaterThanOrEqual(2); // PROGRESSING, (STATUS_UPDATE…), COMPLETE
    expect(job!.output_groups).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'HLS_GROUP', playlistPaths: [expect.stringMatching(/^s3:\/\/lectern-local-published\/.*\/hls\/master\.m3u8$/)] })]));
    const events = stack.transcoder.events.filter((e) => e.detail.jobId === job!.job_id).map(status);
    expect(events[0]).toBe('PROGRESSING');
    expect(events.at(-1)).toBe('COMPLETE');
    expect(stack.taskCallbacks.calls.filter((c) => c.kind === 'success' && c.outcome === 'delivered').length).toBeGreaterThanOrEqual(1);
  });

  it("ERROR (the upload's fault): rejected, with MediaConvert's code and message in the report", async () => {
    const message = 'Unable to open input file [s3://lectern-local-uploads/x.mp4]: [Failed probe/open: [No parser found for container]]';
    intercept((event) => (status(event) === 'COMPLETE' ? [{ ...event, detail: { ...event.detail, status: 'ERROR', errorCode: 1010, errorMessage: message, outputGroupDetails: undefined } }] : [event]));
    const k = key('error');
    const result = await stack.upload(k, clip);
    expect(result.status).toBe('rejected');
    expect(result.reasons).toEqual([{ code: 'video.transcode-rejected', message: expect.stringContaining(`(error 1010: ${message})`) }]);
    expect(await stack.report(k)).toMatchObject({ status: 'rejected', reasons: result.reasons });
    expect(await jobs(result.assetVersionId)).toEqual([expect.objectContaining({ status: 'ERROR', error_code: 1010, error_message: message })]);
    const manifest = JSON.parse(new TextDecoder().decode((await stack.published.get(`${LESSON}/manifest.json`)) ?? new TextEncoder().encode('{"assets":{}}')));
    expect(Object.keys(manifest.assets)).not.toContain(k.split('/').pop());
  });

  it('ERROR (not the upload): the execution fails for ops, MediaConvert’s message in the report', async () => {
    intercept((event) => (status(event) === 'COMPLETE' ? [{ ...event, detail: { ...event.detail, status: 'ERROR', errorCode: 1401, errorMessage: 'Unable to write to output file [s3://lectern-local-published/...]: [Access Denied]' } }] : [event]));
    const k = key('denied');
    const result = await stack.upload(k, clip);
    expect(result.status).toBe('failed');
    expect(result.reasons[0]).toMatchObject({ code: 'pipeline.failed', message: expect.stringMatching(/^SubmitTranscode failed after retries \(TranscodeFailedError: MediaConvert failed \(error 1401: Unable to write to output file .*Access Denied\]\)\.\)/) });
    expect(await stack.report(k)).toMatchObject({ status: 'failed' });

    // ops fix the bucket policy and redrive: the execution resumes at SubmitTranscode, which
    // submits the next attempt, and the video is published
    stack.transcoder.intercept = undefined;
    const { resumedAt } = await stack.orchestrator.redriveExecution(result.assetVersionId);
    expect(resumedAt).toBe('MarkFailed');
    const record = await stack.orchestrator.wait(result.assetVersionId);
    expect(record.status).toBe('SUCCEEDED');
    expect(await stack.result(result.assetVersionId, k)).toMatchObject({ status: 'published', kind: 'video' });
    expect((await jobs(result.assetVersionId)).map((r) => [r.attempt, r.status])).toEqual([
      [1, 'ERROR'],
      [2, 'COMPLETE'],
    ]);
  });

  it('a transient MediaConvert error (1999) is retried as a new job, which publishes', async () => {
    let failed = 0;
    intercept((event) => {
      if (status(event) === 'COMPLETE' && failed === 0) {
        failed++;
        return [{ ...event, detail: { ...event.detail, status: 'ERROR', errorCode: 1999, errorMessage: 'An unknown error occurred' } }];
      }
      return [event];
    });
    const result = await stack.upload(key('transient'), clip);
    expect(result.status).toBe('published');
    const rows = await jobs(result.assetVersionId);
    expect(rows.map((r) => [r.attempt, r.status, r.request_token])).toEqual([
      [1, 'ERROR', `${result.assetVersionId}-1`],
      [2, 'COMPLETE', `${result.assetVersionId}-2`],
    ]);
    expect((await history(result.assetVersionId)).filter((e) => e.type === 'StateRetried').map((e) => e.state)).toEqual(['SubmitTranscode']);
  });

  it('lost events: no heartbeat, the task times out, PollTranscode asks GetJob and publishes', async () => {
    tighten({ heartbeatMs: 1500, timeoutMs: 30_000 });
    intercept(() => []); // EventBridge delivers nothing at all
    const result = await stack.upload(key('lost'), clip);
    expect(result).toMatchObject({ status: 'published', kind: 'video' });
    const h = await history(result.assetVersionId);
    expect(h.find((e) => e.type === 'StateCaught' && e.state === 'SubmitTranscode')).toBeDefined();
    expect(h.find((e) => e.type === 'StateFailed' && e.state === 'SubmitTranscode')?.error).toBe('States.HeartbeatTimeout');
    expect(await entered(result.assetVersionId)).toEqual(expect.arrayContaining(['PollTranscode', 'TranscodeDone', 'VerifyOutputs', 'Published']));
    const [job] = await jobs(result.assetVersionId);
    expect(job).toMatchObject({ status: 'COMPLETE', events: 0 }); // learnt from GetJob alone
  });

  it('lost events and a transient ERROR: the poll sends the execution back to SubmitTranscode for a new job', async () => {
    tighten({ heartbeatMs: 1500, timeoutMs: 30_000 });
    intercept(() => []);
    stack.transcoder.failNextJobs.push({ errorCode: 1999, errorMessage: 'An unknown error occurred' });
    const result = await stack.upload(key('poll-transient'), clip);
    expect(result.status).toBe('published');
    expect((await jobs(result.assetVersionId)).map((r) => [r.attempt, r.status, r.error_code])).toEqual([
      [1, 'ERROR', 1999],
      [2, 'COMPLETE', null],
    ]);
    const states = await entered(result.assetVersionId);
    expect(states.filter((s) => s === 'SubmitTranscode')).toHaveLength(2);
    expect(states.indexOf('PollTranscode')).toBeLessThan(states.lastIndexOf('SubmitTranscode'));
  });

  it('lost COMPLETE while heartbeats flow: TimeoutSeconds ends the wait, the poll recovers', async () => {
    // heartbeats keep arriving (STATUS_UPDATE re-sent every 200 ms) but COMPLETE never does
    tighten({ heartbeatMs: 6000, timeoutMs: 4000 });
    let timer: NodeJS.Timeout | undefined;
    intercept((event) => {
      if (status(event) === 'PROGRESSING') {
        timer = setInterval(() => void stack.transcoder.deliver({ ...event, detail: { ...event.detail, status: 'STATUS_UPDATE', jobProgress: { jobPercentComplete: 50, currentPhase: 'TRANSCODING' } } }), 200);
        return [event];
      }
      return status(event) === 'COMPLETE' ? [] : [event];
    });
    try {
      const result = await stack.upload(key('timeout'), clip);
      expect(result.status).toBe('published');
      const h = await history(result.assetVersionId);
      expect(h.find((e) => e.type === 'StateFailed' && e.state === 'SubmitTranscode')?.error).toBe('States.Timeout');
      expect(stack.taskCallbacks.calls.filter((c) => c.kind === 'heartbeat' && c.outcome === 'delivered').length).toBeGreaterThan(3);
    } finally {
      clearInterval(timer);
    }
  });

  it('a duplicate COMPLETE is harmless: one answer, the second is TaskTimedOut and ignored', async () => {
    const results: TranscodeEventResult[] = [];
    intercept((event) => {
      if (status(event) !== 'COMPLETE') return [event];
      // deliver twice, recording what the handler answered each time
      void (async () => {
        for (let i = 0; i < 2; i++) results.push((await invokeLambda('transcodeEvents', stack.eventHandlers.TranscodeEvents, event)) as TranscodeEventResult);
      })();
      return [];
    });
    const result = await stack.upload(key('duplicate'), clip);
    expect(result.status).toBe('published');
    await expect.poll(() => results.length).toBe(2);
    expect(results[0]).toMatchObject({ action: 'succeeded', status: 'COMPLETE' });
    expect(results[1]).toMatchObject({ action: 'ignored', reason: 'the waiting task is gone (TaskTimedOut)' });
    expect((await stack.orchestrator.list()).filter((e) => e.name.startsWith(result.assetVersionId))).toHaveLength(1);
    expect(await jobs(result.assetVersionId)).toEqual([expect.objectContaining({ status: 'COMPLETE' })]);
  });

  it('a late COMPLETE after the timeout (the poll already published) is ignored and changes nothing', async () => {
    tighten({ heartbeatMs: 1500, timeoutMs: 30_000 });
    let held: MediaConvertEvent | undefined;
    intercept((event) => {
      if (status(event) === 'COMPLETE') {
        held = event;
        return [];
      }
      return status(event) === 'PROGRESSING' ? [event] : [];
    });
    const result = await stack.upload(key('late'), clip);
    expect(result.status).toBe('published');
    expect(await entered(result.assetVersionId)).toContain('PollTranscode');
    const tree = await stack.publishedTree();
    const late = (await invokeLambda('transcodeEvents', stack.eventHandlers.TranscodeEvents, held)) as TranscodeEventResult;
    expect(late).toMatchObject({ action: 'ignored', reason: 'the waiting task is gone (TaskTimedOut)' });
    expect(await stack.publishedTree()).toEqual(tree);
    expect(await stack.result(result.assetVersionId, result.key)).toMatchObject({ status: 'published', url: result.url });
  });

  it('ignores events of unknown jobs and of other stages', async () => {
    const base = stack.transcoder.events.find((e) => status(e) === 'COMPLETE')!;
    const unknown = structuredClone(base);
    unknown.detail.jobId = '1700000000000-zzzzzz';
    unknown.detail.userMetadata = {};
    expect(await invokeLambda('transcodeEvents', stack.eventHandlers.TranscodeEvents, unknown)).toMatchObject({ action: 'ignored', reason: expect.stringMatching(/unknown job/) });
    const otherStage = structuredClone(base);
    otherStage.detail.userMetadata = { ...otherStage.detail.userMetadata, stage: 'prod' };
    expect(await invokeLambda('transcodeEvents', stack.eventHandlers.TranscodeEvents, otherStage)).toMatchObject({ action: 'ignored', reason: 'job of stage prod' });
    expect(await invokeLambda('transcodeEvents', stack.eventHandlers.TranscodeEvents, { source: 'aws.s3', 'detail-type': 'Object Created' })).toMatchObject({ action: 'ignored' });
  });

  it('a replay of a published video reuses the finished job: answered at once, nothing transcoded again', async () => {
    const first = await stack.upload(key('replay'), clip);
    expect(first.status).toBe('published');
    const eventsBefore = stack.transcoder.events.length;
    const treeBefore = await stack.publishedTree();
    const input = (await stack.orchestrator.describe(first.assetVersionId))!.input;
    const replay = await stack.orchestrator.run(`${first.assetVersionId}-replay`, input);
    expect(replay.record.status).toBe('SUCCEEDED');
    expect(stack.transcoder.events.length).toBe(eventsBefore);
    expect(await jobs(first.assetVersionId)).toHaveLength(1);
    expect(await stack.publishedTree()).toEqual(treeBefore);
  });
});
