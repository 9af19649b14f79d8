/** PollTranscription: asks Transcribe (GetTranscriptionJob) about a job whose event did not come; only reads. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { pollTranscription } from '../../shared/use-cases/poll-transcription.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(pollTranscription);
