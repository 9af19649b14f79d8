import { lambdaHandler } from '../../shared/lambda.js';
import { upsertCourse } from '../../shared/use-cases/upsert-course.js';

export const handler = lambdaHandler(upsertCourse);
