/** The Lambda entry point: the handler bound to AWS, its database opened on the first invocation. */
import { database } from '../../shared/aws/database.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ db: database() }));
