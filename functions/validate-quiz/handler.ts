import { lambdaHandler } from '../../shared/lambda.js';
import { validateQuizUpload } from '../../shared/use-cases/validate-quiz-upload.js';

export const handler = lambdaHandler(validateQuizUpload);
