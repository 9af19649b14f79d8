import { lambdaHandler } from '../../shared/lambda.js';
import { probeVideo } from '../../shared/use-cases/probe-video.js';

export const handler = lambdaHandler(probeVideo);
