import { lambdaHandler } from '../../shared/lambda.js';
import { validateCaptionsUpload } from '../../shared/use-cases/validate-captions-upload.js';

export const handler = lambdaHandler(validateCaptionsUpload);
