import type { OutboxEvent } from './store.js'

/** Secrets Manager's rotation service events (events-and-audit-reference §2). */
export type RotationEventName =
  | 'RotationStarted'
  | 'RotationSucceeded'
  | 'RotationFailed'
  | 'RotationAbandoned'
  | 'TestRotationStarted'
  | 'TestRotationSucceeded'
  | 'TestRotationFailed'

const SERVICE = 'secretsmanager.amazonaws.com'

/**
 * A rotation outcome as AWS publishes it: a CloudTrail `AwsServiceEvent` record (identity only
 * `{accountId, invokedBy}`, the secret ARN in `additionalEventData.SecretId`, `requestID`
 * `Rotation-<arn>-<id>` shared by the events of one rotation, `errorMessage` on failure) wrapped in the
 * EventBridge envelope "AWS Service Event via CloudTrail" from `aws.secretsmanager`. No secret material.
 */
export function rotationEvent(e: {
  readonly name: RotationEventName
  readonly eventId: string
  readonly time: number
  readonly accountId: string
  readonly region: string
  readonly secretArn: string
  /** Shared by the events of one rotation (its ClientRequestToken). */
  readonly rotationId: string
  readonly errorMessage?: string
}): OutboxEvent {
  const eventTime = new Date(e.time).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    eventId: e.eventId,
    time: e.time,
    accountId: e.accountId,
    region: e.region,
    source: 'aws.secretsmanager',
    detailType: 'AWS Service Event via CloudTrail',
    resources: [],
    detail: {
      eventVersion: '1.11',
      userIdentity: { accountId: e.accountId, invokedBy: SERVICE },
      eventTime,
      eventSource: SERVICE,
      eventName: e.name,
      awsRegion: e.region,
      sourceIPAddress: SERVICE,
      userAgent: SERVICE,
      ...(e.errorMessage !== undefined && { errorMessage: e.errorMessage }),
      requestParameters: null,
      responseElements: null,
      additionalEventData: { SecretId: e.secretArn },
      requestID: `Rotation-${e.secretArn}-${e.rotationId}`,
      eventID: e.eventId,
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: e.accountId,
      eventCategory: 'Management',
    },
  }
}
