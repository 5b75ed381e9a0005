import { service } from '../../../aws-api/sts/operations.js'
import { shapes } from '../../../aws-api/sts/schema.js'
import type { OperationDef, QueryServiceDef } from '../../core/operation.js'
import { getCallerIdentity } from './ops/get-caller-identity.js'

/** The STS wire service (awsQuery, spec §6). */
export function createSts(): QueryServiceDef {
  const operations: OperationDef[] = [getCallerIdentity()]
  return {
    id: 'sts',
    protocol: 'query',
    signingName: service.signingName,
    xmlNamespace: service.xmlNamespace,
    shapes,
    global: true,
    signatureSkewMs: 15 * 60_000,
    internalErrorCode: 'InternalFailure',
    operations: new Map(operations.map((op) => [op.name, op])),
  }
}
