/** MarkCaptionsMissing: the video stays published; its report gets a warning and a metric counts it. */
import { database } from '../../shared/aws/database.js';
import { metrics } from '../../shared/aws/metrics.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { markCaptionsMissing } from '../../shared/use-cases/mark-captions-missing.js';

export const createHandler = handlerFactory(markCaptionsMissing);
export const handler = createHandler(() => ({ db: database(), metrics: metrics(), uploads: uploadsStore() }));
