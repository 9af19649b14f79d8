/** PublishCaptions: the automatic captions join the lesson as `<asset>.<lang>.auto.vtt`, attached to the video's master. */
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { publishCaptions } from '../../shared/use-cases/publish-captions.js';

/** The handler over whatever provides the use-case's ports: AWS's clients (handler.ts) or the local stack's twins. No AWS SDK is imported here. */
export const createHandler = handlerFactory(publishCaptions);
