/** The Lambda entry point: the handler bound to AWS, its clients built on the first invocation. */
import { lambdaConfig } from '../../shared/aws/environment.js';
import { signer } from '../../shared/aws/signing-key.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), signer: signer(), now: () => new Date() }));
