/**
 * AWS's wording for IAM errors, in one place. Texts marked "verified" are quoted from AWS responses
 * (AWS documentation, recorded responses, widely quoted CLI output); the others follow AWS's style and
 * are Coffer's best guess — a client comparing them exactly may differ from AWS.
 */
export const msg = {
  // verified
  noSuchUser: (name: string) => `The user with name ${name} cannot be found.`,
  noSuchRole: (name: string) => `The role with name ${name} cannot be found.`,
  userExists: (name: string) => `User with name ${name} already exists.`,
  roleExists: (name: string) => `Role with name ${name} already exists.`,
  policyExists: (name: string) => `A policy called ${name} already exists. Duplicate names are not allowed.`,
  noSuchPolicy: (arn: string) => `Policy ${arn} was not found.`,
  notAttachable: (arn: string) => `Policy ${arn} does not exist or is not attachable.`,
  noSuchBoundary: (arn: string) => `Scope ARN: ${arn} does not exist or is not attachable.`,
  noSuchUserPolicy: (name: string) => `The user policy with name ${name} cannot be found.`,
  noSuchRolePolicy: (name: string) => `The role policy with name ${name} cannot be found.`,
  noSuchAccessKey: (id: string) => `The Access Key with id ${id} cannot be found.`,
  invalidArn: (arn: string) => `ARN ${arn} is not valid.`,
  deleteKeysFirst: 'Cannot delete entity, must delete access keys first.',
  deletePoliciesFirst: 'Cannot delete entity, must delete policies first.',
  detachPoliciesFirst: 'Cannot delete entity, must detach all policies first.',
  policyAttached: 'Cannot delete a policy attached to entities.',
  deleteDefaultVersion: 'Cannot delete the default version of a policy.',
  accessKeyQuota: 'Cannot exceed quota for AccessKeysPerUser: 2',
  versionLimit:
    'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
  policySizeQuota: 'Cannot exceed quota for PolicySize: 6144',
  trustPolicySizeQuota: 'Cannot exceed quota for ACLSizePerRole: 2048',
  userInlineSize: (name: string) => `Maximum policy size of 2048 bytes exceeded for user ${name}`,
  roleInlineSize: (name: string) => `Maximum policy size of 10240 bytes exceeded for role ${name}`,
  attachedQuota: (kind: 'User' | 'Role') => `Cannot exceed quota for PoliciesPer${kind}: 10`,
  duplicateTagKeys: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  nonUserCredentials: 'Must specify userName when calling with non-User credentials',
  // Policy grammar (MalformedPolicyDocument), verified
  syntaxErrors: 'Syntax errors in policy.',
  principalNotAllowed: 'Policy document should not specify a principal.',
  resourceNotAllowed: 'Has prohibited field Resource',
  missingPrincipal: 'Missing required field Principal',
  missingAction: 'Policy statement must contain actions.',
  missingResource: 'Policy statement must contain resources.',
  legacyParsing: 'The policy failed legacy parsing',
  // unverified
  nonDefaultVersions:
    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
  noSuchPolicyVersion: (arn: string, versionId: string) =>
    `Policy ${arn} version ${versionId} does not exist.`,
  tooManyTags: 'The number of tags has reached the maximum limit.',
  awsManaged: (arn: string) => `Policy ${arn} is managed by AWS and cannot be modified or deleted.`,
  noSuchOidcProvider: (arn: string) => `OpenIDConnect Provider not found for arn ${arn}`,
  oidcExists: (url: string) => `Provider with url ${url} already exists.`,
  oidcUrl: 'The URL of an OpenID Connect provider must begin with https:// and have a host.',
  invalidMarker: 'The marker is not valid for this request.',
  expiredStatus: 'An access key cannot be set to Expired.',
} as const
