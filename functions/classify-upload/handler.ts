import { lambdaHandler } from '../../shared/lambda.js';
import { classifyUpload } from '../../shared/use-cases/classify-upload.js';

export const handler = lambdaHandler(classifyUpload);
