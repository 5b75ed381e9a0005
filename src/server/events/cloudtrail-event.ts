import type { CloudTrailRecord } from '../audit/record.js'
import { API_CALL, SERVICE_EVENT, type NewOutboxEvent } from './outbox.js'

/**
 * The EventBridge event of a CloudTrail record (reference §3): `detail` is the record verbatim,
 * `source` `aws.<service prefix>` (the signing name, from `eventSource`), `detail-type` by `eventType`,
 * `time` the record's `eventTime`, `resources` empty as for every CloudTrail-derived event. The event's id is the
 * record's `eventID`, so an event and its audit record can be matched. `subject`: the resource ARN the
 * call acted on, for delivery order.
 */
export function cloudTrailEvent(record: CloudTrailRecord, subject?: string): NewOutboxEvent {
  return {
    eventId: record.eventID,
    time: Date.parse(record.eventTime),
    accountId: record.recipientAccountId,
    region: record.awsRegion,
    source: `aws.${record.eventSource.replace(/\.amazonaws\.com$/, '')}`,
    detailType: record.eventType === 'AwsServiceEvent' ? SERVICE_EVENT : API_CALL,
    resources: [],
    detail: record,
    ...(subject !== undefined && { subject }),
  }
}
