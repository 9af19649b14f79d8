import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { validatePdfUpload } from '../../shared/use-cases/validate-pdf-upload.js';

export const createHandler = handlerFactory(validatePdfUpload);
export const handler = createHandler(() => ({ config: lambdaConfig(), uploads: uploadsStore() }));
