import { service } from '../../../aws-api/iam/operations.js'
import { shapes } from '../../../aws-api/iam/schema.js'
import type { Random } from '../../../lib/random.js'
import type { Barrier } from '../../barrier/barrier.js'
import type { OperationDef, QueryServiceDef } from '../../core/operation.js'
import type { IamDeps } from './deps.js'
import type { IamStore } from './iam-store.js'
import { IamLookup } from './lookup.js'
import * as accessKeys from './ops/access-keys.js'
import * as attachments from './ops/attachments.js'
import * as boundaries from './ops/boundaries.js'
import * as inline from './ops/inline-policies.js'
import * as managed from './ops/managed-policies.js'
import * as oidc from './ops/oidc.js'
import * as versions from './ops/policy-versions.js'
import * as roles from './ops/roles.js'
import * as tags from './ops/tags.js'
import * as users from './ops/users.js'

export interface IamModuleDeps {
  readonly store: IamStore
  readonly barrier: Pick<Barrier, 'seal'>
  readonly random: Random
}

/** One factory per IAM operation of the codegen list (`tools/codegen/services.ts`). */
const FACTORIES: readonly ((d: IamDeps) => OperationDef)[] = [
  users.createUser,
  users.getUser,
  users.listUsers,
  users.updateUser,
  users.deleteUser,
  tags.tagUser,
  tags.untagUser,
  tags.listUserTags,
  boundaries.putUserPermissionsBoundary,
  boundaries.deleteUserPermissionsBoundary,
  roles.createRole,
  roles.getRole,
  roles.listRoles,
  roles.updateRole,
  roles.updateAssumeRolePolicy,
  roles.deleteRole,
  tags.tagRole,
  tags.untagRole,
  tags.listRoleTags,
  boundaries.putRolePermissionsBoundary,
  boundaries.deleteRolePermissionsBoundary,
  accessKeys.createAccessKey,
  accessKeys.listAccessKeys,
  accessKeys.updateAccessKey,
  accessKeys.deleteAccessKey,
  accessKeys.getAccessKeyLastUsed,
  inline.putUserPolicy,
  inline.getUserPolicy,
  inline.listUserPolicies,
  inline.deleteUserPolicy,
  inline.putRolePolicy,
  inline.getRolePolicy,
  inline.listRolePolicies,
  inline.deleteRolePolicy,
  managed.createPolicy,
  managed.getPolicy,
  managed.listPolicies,
  managed.deletePolicy,
  versions.createPolicyVersion,
  versions.getPolicyVersion,
  versions.listPolicyVersions,
  versions.deletePolicyVersion,
  versions.setDefaultPolicyVersion,
  attachments.attachUserPolicy,
  attachments.detachUserPolicy,
  attachments.listAttachedUserPolicies,
  attachments.attachRolePolicy,
  attachments.detachRolePolicy,
  attachments.listAttachedRolePolicies,
  oidc.createOpenIdConnectProvider,
  oidc.getOpenIdConnectProvider,
  oidc.listOpenIdConnectProviders,
  oidc.deleteOpenIdConnectProvider,
]

/** The IAM wire service (awsQuery, global): users, roles, access keys, policies, OIDC providers. */
export function createIam(deps: IamModuleDeps): QueryServiceDef {
  const d: IamDeps = { ...deps, lookup: new IamLookup(deps.store) }
  const operations = FACTORIES.map((factory) => factory(d))
  return {
    id: 'iam',
    protocol: 'query',
    signingName: service.signingName,
    xmlNamespace: service.xmlNamespace,
    shapes,
    global: true,
    signatureSkewMs: 5 * 60_000,
    internalErrorCode: 'ServiceFailure',
    operations: new Map(operations.map((op) => [op.name, op])),
  }
}
