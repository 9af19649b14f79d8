/** EventBridge: "Transcribe Job State Change" events of this stage's jobs (source aws.transcribe). */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { handleTranscriptionEvent } from '../../shared/use-cases/transcription-events.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(handleTranscriptionEvent);
