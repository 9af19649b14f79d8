import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { validateImageUpload } from '../../shared/use-cases/validate-image-upload.js';

export const createHandler = handlerFactory(validateImageUpload);
export const handler = createHandler(() => ({ config: lambdaConfig(), uploads: uploadsStore() }));
