import { database } from '../../shared/aws/database.js';
import { lambdaConfig } from '../../shared/aws/environment.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { upsertCourse } from '../../shared/use-cases/upsert-course.js';

export const createHandler = handlerFactory(upsertCourse);
export const handler = createHandler(() => ({ config: lambdaConfig(), db: database(), now: () => new Date(), uploads: uploadsStore(), published: publishedStore() }));
