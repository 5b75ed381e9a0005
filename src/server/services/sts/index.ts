import { service } from '../../../aws-api/sts/operations.js'
import { shapes } from '../../../aws-api/sts/schema.js'
import type { OperationDef, QueryServiceDef } from '../../core/operation.js'
import type { StsDeps } from './deps.js'
import { stsParser, type PatternedInput } from './domain/input.js'
import { assumeRole } from './ops/assume-role.js'
import { assumeRoleWithWebIdentity } from './ops/assume-role-with-web-identity.js'
import { getCallerIdentity } from './ops/get-caller-identity.js'
import { getSessionToken } from './ops/get-session-token.js'

export type { StsDeps } from './deps.js'
export { OidcKeys } from './oidc/jwks.js'
export { purgeExpiredSessions } from './purge.js'

/** The STS wire service (awsQuery, spec §6). */
export function createSts(deps: StsDeps): QueryServiceDef {
  const operations: OperationDef[] = [
    getCallerIdentity(),
    getSessionToken(deps),
    assumeRole(deps),
    assumeRoleWithWebIdentity(deps),
  ].map((op) => ({ ...op, parse: stsParser(op.parse as (raw: unknown) => PatternedInput) }))
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
export { issueSession, type SessionSpec } from './sessions.js'
export { servicePrincipal, trustPolicyAllows } from './domain/trust.js'
