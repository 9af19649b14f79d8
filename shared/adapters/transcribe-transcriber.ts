/**
 * The transcriber port over Amazon Transcribe. The client comes in from outside. Throttling, 5xx
 * and lost connections become `DependencyUnavailableError` (the state machine retries); a job
 * name already taken (ConflictException: a retried start) answers the existing job.
 */
import {
  CreateVocabularyCommand,
  GetTranscriptionJobCommand,
  GetVocabularyCommand,
  StartTranscriptionJobCommand,
  type StartTranscriptionJobCommandInput,
  type TranscribeClient,
  type TranscriptionJob,
} from '@aws-sdk/client-transcribe';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { DependencyUnavailableError } from '../contract/errors.js';
import type { Transcriber, TranscriptionJobState, TranscriptionStatus, VocabularyState } from '../ports/transcriber.js';
import type { JsonObject } from '../transcription/plan-transcription.js';

export class TranscribeTranscriber implements Transcriber {
  readonly #client: TranscribeClient;

  constructor(client: TranscribeClient) {
    this.#client = client;
  }

  async startJob(request: JsonObject): Promise<TranscriptionJobState> {
    try {
      const out = await this.#send('StartTranscriptionJob', () => this.#client.send(new StartTranscriptionJobCommand(request as unknown as StartTranscriptionJobCommandInput)));
      if (!out.TranscriptionJob) throw new Error('Transcribe StartTranscriptionJob returned no job.');
      return jobState(out.TranscriptionJob);
    } catch (error) {
      if (error instanceof Error && error.name === 'ConflictException') {
        const existing = await this.getJob(String(request.TranscriptionJobName));
        if (existing) return existing;
      }
      throw error;
    }
  }

  async getJob(jobName: string): Promise<TranscriptionJobState | undefined> {
    try {
      const out = await this.#send('GetTranscriptionJob', () => this.#client.send(new GetTranscriptionJobCommand({ TranscriptionJobName: jobName })));
      return out.TranscriptionJob ? jobState(out.TranscriptionJob) : undefined;
    } catch (error) {
      if (error instanceof Error && error.name === 'NotFoundException') return undefined;
      throw error;
    }
  }

  async ensureVocabulary(name: string, languageCode: string, phrases: string[]): Promise<VocabularyState> {
    try {
      const out = await this.#send('GetVocabulary', () => this.#client.send(new GetVocabularyCommand({ VocabularyName: name })));
      return out.VocabularyState === 'READY' ? 'READY' : out.VocabularyState === 'FAILED' ? 'FAILED' : 'PENDING';
    } catch (error) {
      if (!(error instanceof Error && (error.name === 'NotFoundException' || error.name === 'BadRequestException'))) throw error;
    }
    try {
      await this.#send('CreateVocabulary', () =>
        this.#client.send(new CreateVocabularyCommand({ VocabularyName: name, LanguageCode: languageCode as never, Phrases: phrases })),
      );
    } catch (error) {
      // Another execution created it meanwhile.
      if (!(error instanceof Error && error.name === 'ConflictException')) throw error;
    }
    return 'PENDING';
  }

  async #send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const sdkError = error as Parameters<typeof isThrottlingError>[0];
      if (error instanceof Error && (error.name === 'LimitExceededException' || isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError))) {
        throw new DependencyUnavailableError(`Amazon Transcribe ${operation} is unavailable (${error.name}: ${error.message}).`, { cause: error });
      }
      throw error;
    }
  }
}

export function jobState(job: TranscriptionJob): TranscriptionJobState {
  return {
    jobName: job.TranscriptionJobName ?? '',
    status: (job.TranscriptionJobStatus ?? 'QUEUED') as TranscriptionStatus,
    ...(job.LanguageCode ? { languageCode: job.LanguageCode } : {}),
    ...(job.FailureReason ? { failureReason: job.FailureReason } : {}),
  };
}
