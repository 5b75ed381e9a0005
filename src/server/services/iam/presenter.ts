import type * as T from '../../../aws-api/iam/types.js'
import { encodePolicyDocument } from './domain/url-encoding.js'
import type { IamRole, IamUser, ManagedPolicy, OidcProvider, PolicyVersionRecord, Tag } from './iam-store.js'

/**
 * IAM's views of its entities. Which members appear follows AWS: list operations leave out tags and
 * boundaries (ListUsers/ListRoles) or descriptions (ListPolicies); `Tags` only when there are some;
 * policy documents URL-encoded.
 */
export type View = 'full' | 'list'

function tags(list: readonly Tag[]): { Tags?: Tag[] } {
  return list.length === 0 ? {} : { Tags: list.map((tag) => ({ Key: tag.Key, Value: tag.Value })) }
}

function boundary(arn: string | undefined): { PermissionsBoundary?: T.AttachedPermissionsBoundary } {
  return arn === undefined
    ? {}
    : {
        PermissionsBoundary: {
          PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
          PermissionsBoundaryArn: arn,
        },
      }
}

export function presentUser(user: IamUser, view: View): T.User {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: user.arn,
    CreateDate: new Date(user.createdAt),
    ...(view === 'full' && { ...boundary(user.permissionsBoundary), ...tags(user.tags) }),
  }
}

export function presentRole(role: IamRole, view: View): T.Role {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    AssumeRolePolicyDocument: encodePolicyDocument(role.assumeRolePolicy),
    ...(role.description !== undefined && { Description: role.description }),
    MaxSessionDuration: role.maxSessionDuration,
    ...(view === 'full' && {
      ...boundary(role.permissionsBoundary),
      ...tags(role.tags),
      RoleLastUsed: {
        ...(role.lastUsedAt !== undefined && { LastUsedDate: new Date(role.lastUsedAt) }),
        ...(role.lastUsedRegion !== undefined && { Region: role.lastUsedRegion }),
      },
    }),
  }
}

export function presentPolicy(policy: ManagedPolicy, view: View): T.Policy {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: policy.attachmentCount,
    PermissionsBoundaryUsageCount: policy.boundaryUsageCount,
    IsAttachable: true,
    ...(view === 'full' && policy.description !== undefined && { Description: policy.description }),
    CreateDate: new Date(policy.createdAt),
    UpdateDate: new Date(policy.updatedAt),
    ...(view === 'full' && tags(policy.tags)),
  }
}

/** `withDocument`: GetPolicyVersion shows the document; ListPolicyVersions and CreatePolicyVersion don't. */
export function presentVersion(version: PolicyVersionRecord, withDocument: boolean): T.PolicyVersion {
  return {
    ...(withDocument && { Document: encodePolicyDocument(version.document) }),
    VersionId: version.versionId,
    IsDefaultVersion: version.isDefault,
    CreateDate: new Date(version.createdAt),
  }
}

export function presentOidcProvider(provider: OidcProvider): T.GetOpenIDConnectProviderResponse {
  return {
    Url: provider.url,
    ClientIDList: [...provider.clientIds],
    ThumbprintList: [...provider.thumbprints],
    CreateDate: new Date(provider.createdAt),
    ...tags(provider.tags),
  }
}

export function presentTags(list: readonly Tag[]): Tag[] {
  return list.map((tag) => ({ Key: tag.Key, Value: tag.Value }))
}
