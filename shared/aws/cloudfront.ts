import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudFrontCdn } from '../adapters/cloudfront-cdn.js';
import { lambdaConfig, once, required } from './environment.js';

export const cdn = once(() => {
  const config = lambdaConfig();
  return new CloudFrontCdn(new CloudFrontClient({}), { baseUrl: required(config.cdnBaseUrl, 'CDN_BASE_URL'), distributionId: required(config.cdnDistributionId, 'CDN_DISTRIBUTION_ID') });
});
