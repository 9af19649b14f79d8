/** The Lambda entry point: the handler bound to AWS, its clients built on the first invocation. */
import { orchestrator } from '../../shared/aws/step-functions.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ orchestrator: orchestrator() }));
