import { lambdaConfig } from '../../shared/aws/environment.js';
import { uploadsStore } from '../../shared/aws/s3.js';
import { lambdaHandler } from '../../shared/lambda.js';
import { probeVideo } from '../../shared/use-cases/probe-video.js';

export const handler = lambdaHandler(probeVideo, () => ({ config: lambdaConfig(), uploads: uploadsStore() }));
