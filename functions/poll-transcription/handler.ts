/** PollTranscription: asks Transcribe (GetTranscriptionJob) about a job whose event did not come; only reads. The Lambda entry point: bound to AWS here, its clients built on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { transcriber } from '../../shared/aws/transcribe.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), now: () => new Date(), transcriber: transcriber() }));
