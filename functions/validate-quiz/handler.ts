import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { lambdaHandler } from '../../shared/lambda.js';
import { validateQuizUpload } from '../../shared/use-cases/validate-quiz-upload.js';

export const handler = lambdaHandler(validateQuizUpload, () => ({ config: lambdaConfig(), uploads: uploadsStore() }));
