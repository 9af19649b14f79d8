/** PollTranscription: asks Transcribe (GetTranscriptionJob) about a job whose event did not come; only reads. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { transcriber } from '../../shared/aws/transcribe.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { pollTranscription } from '../../shared/use-cases/poll-transcription.js';

export const createHandler = handlerFactory(pollTranscription);
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), now: () => new Date(), transcriber: transcriber() }));
