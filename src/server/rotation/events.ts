import type { AuditLog } from '../audit/audit-log.js'
import { serviceEventRecord, type CloudTrailRecord } from '../audit/record.js'
import { cloudTrailEvent } from '../events/cloudtrail-event.js'
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

/**
 * A rotation outcome as AWS publishes it: the CloudTrail `AwsServiceEvent` record (`serviceEventRecord`:
 * identity only `{accountId, invokedBy}`, the secret ARN in `additionalEventData.SecretId`, `requestID`
 * `Rotation-<arn>-<id>` shared by the events of one rotation, `errorMessage` on failure) wrapped in the
 * EventBridge envelope "AWS Service Event via CloudTrail" from `aws.secretsmanager`. No secret material.
 * The same record goes to the audit trail once the transaction carrying the event committed
 * (`auditServiceEvents`), under the same eventID.
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
  return cloudTrailEvent(
    serviceEventRecord({
      eventName: e.name,
      accountId: e.accountId,
      region: e.region,
      time: e.time,
      requestId: `Rotation-${e.secretArn}-${e.rotationId}`,
      eventId: e.eventId,
      additionalEventData: { SecretId: e.secretArn },
      ...(e.errorMessage !== undefined && { errorMessage: e.errorMessage }),
    }),
  )
}

/**
 * Writes the audit records of service events already committed to the outbox (same record, same
 * eventID). After the commit, so a failure here loses the record, not the change or its event: it is
 * logged by the caller, and the trail's fail-closed rule does not apply (no request to fail).
 */
export async function auditServiceEvents(
  audit: Pick<AuditLog, 'appendServiceEvent'> | undefined,
  events: readonly OutboxEvent[],
): Promise<void> {
  if (audit === undefined) return
  await Promise.all(
    events.map((event) => {
      const record = event.detail as CloudTrailRecord
      return audit.appendServiceEvent({
        eventName: record.eventName,
        accountId: record.recipientAccountId,
        region: record.awsRegion,
        time: event.time,
        eventSource: record.eventSource,
        requestId: record.requestID,
        eventId: record.eventID,
        ...(record.additionalEventData !== undefined && { additionalEventData: record.additionalEventData }),
        ...(record.errorMessage !== undefined && { errorMessage: record.errorMessage }),
      })
    }),
  )
}
