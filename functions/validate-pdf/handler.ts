/** The Lambda entry point: the handler bound to AWS, its clients built on the first invocation. */
import { lambdaConfig, lambdaEnv } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { warmUpValidatePdfUpload } from '../../shared/use-cases/validate-pdf-upload.js';
import { createHandler } from './create-handler.js';

export { createHandler } from './create-handler.js';
export const handler = createHandler(() => ({ config: lambdaConfig(), uploads: uploadsStore() }));

// Lambda's init phase (AWS sets AWS_LAMBDA_INITIALIZATION_TYPE): warm the validator up before the
// first invocation. Not locally, where the local stack loads create-handler.ts for the first PDF.
if (lambdaEnv().AWS_LAMBDA_INITIALIZATION_TYPE) await warmUpValidatePdfUpload(lambdaEnv().LECTERN_QPDF_DIR);
