/**
 * The transcoder port over AWS Elemental MediaConvert. The client comes in from outside (with the
 * account endpoint when the account needs one). Throttling, 5xx and lost connections become
 * `DependencyUnavailableError` (the state machine retries); a rejected request
 * (BadRequestException: the planned settings are wrong) stays an ordinary error, because retrying
 * a lectern bug cannot help.
 */
import { CreateJobCommand, GetJobCommand, type CreateJobCommandInput, type Job, type MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { DependencyUnavailableError, InternalError } from '../contract/errors.js';
import type { JobState, SubmittedJob, Transcoder } from '../ports/transcoder.js';
import { summariseOutputGroups, type JobStatus } from '../video/mediaconvert-events.js';
import type { JsonObject } from '../video/mediaconvert-settings.js';

export class MediaConvertTranscoder implements Transcoder {
  readonly #client: MediaConvertClient;

  constructor(client: MediaConvertClient) {
    this.#client = client;
  }

  async createJob(request: JsonObject): Promise<SubmittedJob> {
    const out = await this.#send('CreateJob', () => this.#client.send(new CreateJobCommand(request as CreateJobCommandInput)));
    const job = out.Job;
    if (!job?.Id) throw new InternalError('MediaConvert CreateJob returned no job id.', { code: 'dependency.unexpected-answer' });
    return { jobId: job.Id, status: (job.Status ?? 'SUBMITTED') as JobStatus };
  }

  async getJob(jobId: string): Promise<JobState | undefined> {
    try {
      const out = await this.#send('GetJob', () => this.#client.send(new GetJobCommand({ Id: jobId })));
      return out.Job ? jobState(out.Job) : undefined;
    } catch (error) {
      if (error instanceof Error && error.name === 'NotFoundException') return undefined;
      throw error;
    }
  }

  async #send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const sdkError = error as Parameters<typeof isThrottlingError>[0];
      if (error instanceof Error && (error.name === 'TooManyRequestsException' || isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError))) {
        throw new DependencyUnavailableError(`MediaConvert ${operation} is unavailable (${error.name}: ${error.message}).`, { cause: error });
      }
      throw error;
    }
  }
}

export function jobState(job: Job): JobState {
  const status = (job.Status ?? 'SUBMITTED') as JobStatus;
  return {
    jobId: job.Id ?? '',
    status,
    ...(job.JobPercentComplete !== undefined ? { progress: job.JobPercentComplete } : status === 'COMPLETE' ? { progress: 100 } : {}),
    ...(job.ErrorCode !== undefined ? { errorCode: job.ErrorCode } : {}),
    ...(job.ErrorMessage ? { errorMessage: job.ErrorMessage } : {}),
    ...(status === 'COMPLETE' && job.OutputGroupDetails ? { outputGroups: summariseOutputGroups(job.OutputGroupDetails as unknown[]) } : {}),
    ...(job.UserMetadata ? { userMetadata: job.UserMetadata } : {}),
  };
}
