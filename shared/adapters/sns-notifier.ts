/**
 * Educator notifications on the stage's SNS topic; course and lesson as filterable attributes.
 * Readiness alerts meant for ops (the T-30m page, missed classes) go to the ops topic when one is
 * given, with `severity` and `audience` attributes an on-call tool can route on.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification, Notifier } from '../ports/notifier.js';

export class SnsNotifier implements Notifier {
  readonly #client: SNSClient;
  readonly #topicArn: string;
  readonly #opsTopicArn: string | undefined;

  constructor(client: SNSClient, topicArn: string, opsTopicArn?: string) {
    this.#client = client;
    this.#topicArn = topicArn;
    this.#opsTopicArn = opsTopicArn;
  }

  async notify(n: Notification): Promise<void> {
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    if ('type' in n) {
      await this.#client.send(
        new PublishCommand({
          TopicArn: n.audience === 'ops' ? (this.#opsTopicArn ?? this.#topicArn) : this.#topicArn,
          Subject: `lectern: ${n.kind === 'all-clear' ? 'ready' : n.kind} ${n.course}/${n.lesson} (${n.alert})`.slice(0, 100),
          Message: JSON.stringify(n),
          MessageAttributes: {
            type: attribute(n.type),
            status: attribute(n.kind),
            severity: attribute(n.severity),
            audience: attribute(n.audience),
            course: attribute(n.course),
            lesson: attribute(n.lesson),
          },
        }),
      );
      return;
    }
    await this.#client.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Subject: `lectern: ${n.status} ${n.key.split('/').at(-1) ?? n.key}`.slice(0, 100),
        Message: JSON.stringify(n),
        MessageAttributes: {
          status: attribute(n.status),
          assetVersionId: attribute(n.assetVersionId),
          ...(n.course ? { course: attribute(n.course) } : {}),
          ...(n.lesson ? { lesson: attribute(n.lesson) } : {}),
          ...(n.kind ? { kind: attribute(n.kind) } : {}),
        },
      }),
    );
  }
}
