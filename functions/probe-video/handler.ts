import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { probeVideo } from '../../shared/use-cases/probe-video.js';

export const createHandler = handlerFactory(probeVideo);
export const handler = createHandler(() => ({ config: lambdaConfig(), uploads: uploadsStore() }));
