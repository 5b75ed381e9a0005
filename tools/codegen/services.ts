/**
 * The services Coffer generates API code for. `operations` restricts generation to an allow-list (only
 * shapes reachable from those operations and their errors are emitted); omitted means every operation.
 */
export interface ServiceEntry {
  /** Directory under `src/aws-api/` and `service.id` in the generated metadata. */
  readonly id: string
  /** `<service>/<api-version>` under `models/`. */
  readonly model: string
  readonly operations?: readonly string[]
}

export const services: readonly ServiceEntry[] = [
  { id: 'secretsmanager', model: 'secretsmanager/2017-10-17' },
  {
    id: 'sts',
    model: 'sts/2011-06-15',
    operations: ['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity', 'GetSessionToken'],
  },
  {
    id: 'iam',
    model: 'iam/2010-05-08',
    operations: [
      // users
      'CreateUser',
      'GetUser',
      'ListUsers',
      'UpdateUser',
      'DeleteUser',
      'TagUser',
      'UntagUser',
      'ListUserTags',
      'PutUserPermissionsBoundary',
      'DeleteUserPermissionsBoundary',
      // roles
      'CreateRole',
      'GetRole',
      'ListRoles',
      'UpdateRole',
      'UpdateAssumeRolePolicy',
      'DeleteRole',
      'TagRole',
      'UntagRole',
      'ListRoleTags',
      'PutRolePermissionsBoundary',
      'DeleteRolePermissionsBoundary',
      // access keys
      'CreateAccessKey',
      'ListAccessKeys',
      'UpdateAccessKey',
      'DeleteAccessKey',
      'GetAccessKeyLastUsed',
      // inline policies
      'PutUserPolicy',
      'GetUserPolicy',
      'ListUserPolicies',
      'DeleteUserPolicy',
      'PutRolePolicy',
      'GetRolePolicy',
      'ListRolePolicies',
      'DeleteRolePolicy',
      // managed policies and attachments
      'CreatePolicy',
      'GetPolicy',
      'ListPolicies',
      'DeletePolicy',
      'CreatePolicyVersion',
      'GetPolicyVersion',
      'ListPolicyVersions',
      'DeletePolicyVersion',
      'SetDefaultPolicyVersion',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'ListAttachedUserPolicies',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'ListAttachedRolePolicies',
      // OIDC identity providers (AssumeRoleWithWebIdentity)
      'CreateOpenIDConnectProvider',
      'GetOpenIDConnectProvider',
      'ListOpenIDConnectProviders',
      'DeleteOpenIDConnectProvider',
    ],
  },
  {
    id: 'kms',
    model: 'kms/2014-11-01',
    operations: [
      'CreateKey',
      'DescribeKey',
      'ListKeys',
      'EnableKey',
      'DisableKey',
      'ScheduleKeyDeletion',
      'CancelKeyDeletion',
      'CreateAlias',
      'UpdateAlias',
      'DeleteAlias',
      'ListAliases',
      'Encrypt',
      'Decrypt',
      'ReEncrypt',
      'GenerateDataKey',
      'GenerateDataKeyWithoutPlaintext',
      'GenerateRandom',
      'EnableKeyRotation',
      'DisableKeyRotation',
      'GetKeyRotationStatus',
      'RotateKeyOnDemand',
      'ListKeyRotations',
      'GetKeyPolicy',
      'PutKeyPolicy',
      'ListKeyPolicies',
      'ListResourceTags',
      'TagResource',
      'UntagResource',
      'UpdateKeyDescription',
    ],
  },
  {
    id: 'ssm',
    model: 'ssm/2014-11-06',
    operations: [
      'PutParameter',
      'GetParameter',
      'GetParameters',
      'GetParametersByPath',
      'GetParameterHistory',
      'LabelParameterVersion',
      'UnlabelParameterVersion',
      'DeleteParameter',
      'DeleteParameters',
      'DescribeParameters',
      'AddTagsToResource',
      'RemoveTagsFromResource',
      'ListTagsForResource',
    ],
  },
  {
    id: 'cloudtrail',
    model: 'cloudtrail/2013-11-01',
    operations: ['LookupEvents'],
  },
]
