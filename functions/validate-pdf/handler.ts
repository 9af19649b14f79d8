import { lambdaConfig, lambdaEnv } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { validatePdfUpload, warmUpValidatePdfUpload } from '../../shared/use-cases/validate-pdf-upload.js';

export const createHandler = handlerFactory(validatePdfUpload);
export const handler = createHandler(() => ({ config: lambdaConfig(), uploads: uploadsStore() }));

// Lambda's init phase (AWS sets AWS_LAMBDA_INITIALIZATION_TYPE): warm the validator up before the
// first invocation. Not locally, where this module is loaded for the first PDF and would only delay it.
if (lambdaEnv().AWS_LAMBDA_INITIALIZATION_TYPE) await warmUpValidatePdfUpload(lambdaEnv().LECTERN_QPDF_DIR);
