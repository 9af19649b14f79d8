import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { validateQuizUpload } from '../../shared/use-cases/validate-quiz-upload.js';

export const createHandler = handlerFactory(validateQuizUpload);
export const handler = createHandler(() => ({ config: lambdaConfig(), uploads: uploadsStore() }));
