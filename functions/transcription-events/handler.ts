/** EventBridge: "Transcribe Job State Change" events of this stage's jobs (source aws.transcribe). */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { taskCallbacks } from '../../shared/aws/step-functions.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { handleTranscriptionEvent } from '../../shared/use-cases/transcription-events.js';

export const createHandler = handlerFactory(handleTranscriptionEvent);
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), taskCallbacks: taskCallbacks() }));
