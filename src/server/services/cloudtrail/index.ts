import { shapes } from '../../../aws-api/cloudtrail/schema.js'
import type { Clock } from '../../../lib/clock.js'
import type { AuditReader } from '../../audit/store.js'
import type { JsonServiceDef } from '../../core/operation.js'
import { lookupEvents } from './ops/lookup-events.js'

export interface CloudTrailModuleDeps {
  readonly reader: Pick<AuditReader, 'lookup'>
  readonly clock: Clock
}

/** CloudTrail, as far as Coffer serves it: LookupEvents over the audit trail (reference §5). */
export function createCloudTrail(deps: CloudTrailModuleDeps): JsonServiceDef {
  const op = lookupEvents(deps)
  return {
    id: 'cloudtrail',
    protocol: 'json',
    signingName: 'cloudtrail',
    targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
    targetPrefixAliases: ['CloudTrail_20131101'],
    signatureSkewMs: 5 * 60_000,
    internalErrorCode: 'InternalFailure',
    operations: new Map([[op.name, op]]),
    shapes,
  }
}
