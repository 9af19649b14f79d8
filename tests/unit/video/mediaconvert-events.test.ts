/**
 * "MediaConvert Job State Change" events — the real ones from the MediaConvert user guide (shared
 * corpus) — parsed into what transcode-events needs, and MediaConvert errors mapped to whose
 * fault they are.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyTranscodeError, parseJobStateChange, type JobStateChange } from '../../../shared/video/mediaconvert-events.js';
import { failureForJob, outcomeFromRow } from '../../../shared/video/transcode-outcome.js';
import { corpusDir, corpusRequired } from '../../helpers/smithy-validate.js';

const EVENTS = path.join(corpusDir(), 'aws/mediaconvert_events');
const haveCorpus = existsSync(EVENTS);
if (!haveCorpus && corpusRequired()) throw new Error(`The MediaConvert events are missing at ${EVENTS} (LECTERN_CORPUS is set, so that is a failure).`);

const load = (name: string) => structuredClone(JSON.parse(readFileSync(path.join(EVENTS, name), 'utf8')) as unknown);
const parsed = (name: string) => parseJobStateChange(load(name)) as JobStateChange;

describe.runIf(haveCorpus)('parseJobStateChange on the documented events', () => {
  it('reads every strict-JSON event of the corpus', () => {
    const strict = [
      ...readdirSync(EVENTS).filter((f) => f.endsWith('.event.json')).filter((f) => {
        try {
          JSON.parse(readFileSync(path.join(EVENTS, f), 'utf8'));
          return true;
        } catch {
          return false; // the user guide's COMPLETE samples are not valid JSON; derived_strict/ has them repaired
        }
      }),
      ...readdirSync(path.join(EVENTS, 'derived_strict')).map((f) => `derived_strict/${f}`),
    ];
    expect(strict.length).toBeGreaterThanOrEqual(12);
    for (const file of strict) {
      const event = parseJobStateChange(load(file));
      expect('ignored' in event, file).toBe(false);
      expect((event as JobStateChange).jobId, file).toMatch(/^\d+-[a-z0-9]+$/);
    }
  });

  it('STATUS_UPDATE: progress and phase', () => {
    expect(parsed('ev_status_status_update.event.json')).toMatchObject({ status: 'STATUS_UPDATE', jobId: '1671477617078-2886ye', progress: 7, phase: 'TRANSCODING' });
  });

  it('ERROR: the numeric code and the message', () => {
    expect(parsed('ev_status_error.event.json')).toMatchObject({ status: 'ERROR', errorCode: 1040, errorMessage: 'Example error message' });
  });

  it('COMPLETE: output groups with paths, durations and frame sizes (HLS and file + frame capture)', () => {
    const hls = parsed('derived_strict/complete_apple_hls_group.event.strict.json');
    expect(hls.outputGroups).toEqual([
      {
        type: 'HLS_GROUP',
        playlistPaths: ['s3://DOC-EXAMPLE-BUCKET/hls/main.m3u8'],
        outputs: [
          { paths: ['s3://DOC-EXAMPLE-BUCKET/hls/mainv2.m3u8'], durationMs: 180041, width: 426, height: 240 },
          { paths: ['s3://DOC-EXAMPLE-BUCKET/hls/mainv1.m3u8'], durationMs: 180041, width: 1280, height: 720 },
        ],
      },
    ]);
    const file = parsed('derived_strict/complete_file_group_with_frame_capture_output.event.strict.json');
    expect(file.outputGroups?.map((g) => g.outputs[0]?.paths[0])).toEqual(['s3://DOC-EXAMPLE-BUCKET/frameoutput/file.0000036.jpg', 's3://DOC-EXAMPLE-BUCKET/file/file.mp4']);
  });

  it('ignores what is not a MediaConvert job state change', () => {
    expect(parseJobStateChange({ source: 'aws.s3', 'detail-type': 'Object Created', detail: {} })).toMatchObject({ ignored: expect.stringMatching(/not a MediaConvert/) });
    expect(parseJobStateChange({ source: 'aws.mediaconvert', 'detail-type': 'MediaConvert Job State Change', detail: { status: 'ERROR' } })).toMatchObject({ ignored: expect.any(String) });
    expect(parseJobStateChange(null)).toMatchObject({ ignored: expect.any(String) });
  });
});

describe('classifyTranscodeError', () => {
  it("blames the upload for input errors (10xx, 1515/1517/1522) with MediaConvert's message", () => {
    for (const code of [1010, 1020, 1030, 1040, 1056, 1076, 1517]) {
      const c = classifyTranscodeError(code, 'Unable to open input file [s3://b/k.mp4]: [Failed probe/open: [No parser found for container]]', 'lecture.mp4');
      expect(c.owner, String(code)).toBe('upload');
      expect(c.code).toBe('video.transcode-rejected');
      expect(c.message).toContain(`error ${code}: Unable to open input file`);
    }
    expect(classifyTranscodeError(1092, 'bad caption', 'x.mp4')).toMatchObject({ owner: 'upload', code: 'video.transcode-captions' });
  });

  it('retries service errors with a new job and fails the rest for ops', () => {
    expect(classifyTranscodeError(1999, 'Unknown', 'x').owner).toBe('transient');
    expect(classifyTranscodeError(3999, 'Internal', 'x').owner).toBe('transient');
    for (const code of [1401, 1404, 1432, 1601, 3400, 3450]) expect(classifyTranscodeError(code, 'm', 'x').owner, String(code)).toBe('pipeline');
    expect(classifyTranscodeError(undefined, undefined, 'x')).toMatchObject({ owner: 'pipeline', message: expect.stringContaining('no message') });
  });

  it('builds Lambda-shaped failures that MarkRejected / MarkFailed read back', () => {
    const rejected = failureForJob({ status: 'ERROR', error_code: 1010, error_message: 'Unable to open input file', job_id: 'j' }, 'lecture.mp4');
    expect(rejected.error).toBe('ValidationError');
    expect(JSON.parse(rejected.cause)).toEqual({ errorType: 'ValidationError', errorMessage: expect.stringMatching(/^\[video\.transcode-rejected\] MediaConvert could not transcode "lecture\.mp4" \(error 1010: Unable to open input file\)/) });
    expect(failureForJob({ status: 'ERROR', error_code: 1999, error_message: 'x', job_id: 'j' }, 'l').error).toBe('DependencyUnavailableError');
    expect(failureForJob({ status: 'ERROR', error_code: 1401, error_message: 'x', job_id: 'j' }, 'l').error).toBe('TranscodeFailedError');
    expect(failureForJob({ status: 'CANCELED', error_code: null, error_message: null, job_id: 'j' }, 'l')).toMatchObject({ error: 'TranscodeFailedError', message: expect.stringMatching(/^\[pipeline\.transcode-canceled\]/) });
  });

  it('turns a job row into the task outcome', () => {
    const row = { request_token: 'av-1-1', attempt: 1, job_id: 'j', status: 'COMPLETE' as const, progress: 87, expected: { prefix: 'p/' }, output_groups: [], error_code: null, error_message: null };
    expect(outcomeFromRow(row)).toMatchObject({ done: true, jobId: 'j', progress: 100, attempt: 1, expected: { prefix: 'p/' }, outputGroups: [] });
    expect(outcomeFromRow({ ...row, status: 'PROGRESSING' })).toMatchObject({ done: false, progress: 87 });
  });
});
