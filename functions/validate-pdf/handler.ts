import { lambdaHandler } from '../../shared/lambda.js';
import { validatePdfUpload } from '../../shared/use-cases/validate-pdf-upload.js';

export const handler = lambdaHandler(validatePdfUpload);
