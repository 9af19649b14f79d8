/** PublishCaptions: the automatic captions join the lesson as `<asset>.<lang>.auto.vtt`, attached to the video's master. */
import { lambdaConfig } from '../../shared/aws/environment.js';
import { metrics } from '../../shared/aws/metrics.js';
import { publishedStore, uploadsStore } from '../../shared/aws/s3.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { publishCaptions } from '../../shared/use-cases/publish-captions.js';

export const createHandler = handlerFactory(publishCaptions);
export const handler = createHandler(() => ({ config: lambdaConfig(), metrics: metrics(), published: publishedStore(), uploads: uploadsStore() }));
