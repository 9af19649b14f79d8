/** The one logger (Powertools). Log decisions and ids; never whole payloads or task tokens. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'lectern' });
