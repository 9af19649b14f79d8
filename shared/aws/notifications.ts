import { SNSClient } from '@aws-sdk/client-sns';
import { SnsNotifier } from '../adapters/sns-notifier.js';
import type { Notifier } from '../ports/notifier.js';
import { lambdaEnv, once } from './environment.js';

export const notifier = once((): Notifier => {
  const env = lambdaEnv();
  const topic = env.NOTIFICATIONS_TOPIC_ARN;
  // A stage without a notification topic has no one to tell.
  return topic ? new SnsNotifier(new SNSClient({}), topic, env.OPS_ALERTS_TOPIC_ARN) : { notify: async () => undefined };
});
