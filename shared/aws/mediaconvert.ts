import { MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { MediaConvertTranscoder } from '../adapters/mediaconvert-transcoder.js';
import { lambdaConfig, once } from './environment.js';

// MEDIACONVERT_ENDPOINT only for accounts that still need their account-specific endpoint.
export const transcoder = once(() => {
  const endpoint = lambdaConfig().video.mediaconvert.endpoint;
  return new MediaConvertTranscoder(new MediaConvertClient(endpoint ? { endpoint } : {}));
});
