import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { metrics } from '../../shared/aws/metrics.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { classifyUpload } from '../../shared/use-cases/classify-upload.js';

export const createHandler = handlerFactory(classifyUpload);
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), metrics: metrics(), now: () => new Date(), uploads: uploadsStore() }));
