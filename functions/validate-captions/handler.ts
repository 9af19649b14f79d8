import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { lambdaHandler } from '../../shared/lambda.js';
import { validateCaptionsUpload } from '../../shared/use-cases/validate-captions-upload.js';

export const handler = lambdaHandler(validateCaptionsUpload, () => ({ config: lambdaConfig(), uploads: uploadsStore() }));
