import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { validateCaptionsUpload } from '../../shared/use-cases/validate-captions-upload.js';

export const createHandler = handlerFactory(validateCaptionsUpload);
export const handler = createHandler(() => ({ config: lambdaConfig(), uploads: uploadsStore() }));
