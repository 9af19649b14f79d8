import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { lambdaHandler } from '../../shared/lambda.js';
import { validatePdfUpload } from '../../shared/use-cases/validate-pdf-upload.js';

export const handler = lambdaHandler(validatePdfUpload, () => ({ config: lambdaConfig(), uploads: uploadsStore() }));
