/**
 * AWS's wording for Secrets Manager errors, in one place. Texts quoted in the spec are exact
 * (clients and test suites compare them); the others follow AWS's style and are marked unverified.
 */
export const msg = {
  secretNotFound: "Secrets Manager can't find the specified secret.",
  valueNotFoundForStage: (stage: string) =>
    `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
  valueNotFoundForVersion: (versionId: string) =>
    `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
  stageNotOnVersion: 'You provided a VersionStage that is not associated to the provided VersionId.',
  markedForDeletion: "You can't perform this operation on the secret because it was marked for deletion.",
  tokenRequired: 'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
  valueRequired: 'You must provide either SecretString or SecretBinary.',
  // unverified
  malformedSecretString: 'SecretString must be valid Unicode text: it contains an unpaired surrogate.',
  bothValues: "You can't specify both SecretString and SecretBinary in the same request.",
  secretExists: (name: string) => `The operation failed because the secret ${name} already exists.`,
  nameScheduledForDeletion:
    "You can't create this secret because a secret with this name is already scheduled for deletion.",
  tokenInUse: (token: string, arn: string) =>
    `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`,
  // unverified (moto)
  forceWithWindow: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
  recoveryWindowRange: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
  alreadyMarkedDeleted: "You tried to perform the operation on a secret that's currently marked deleted.",
  removeFromRequired: (stage: string, holder: string) =>
    `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder}, so you must explicitly reference that version in RemoveFromVersionId.`,
  // unverified
  removeFromMismatch: (stage: string, versionId: string) =>
    `The staging label ${stage} is not attached to version ${versionId}, so it can't be removed from it.`,
  versionNotFound: (versionId: string) =>
    `Secrets Manager can't find the specified secret version: ${versionId}.`,
  cannotRemoveCurrent:
    "You can't remove the staging label AWSCURRENT from a version. Move it to another version with MoveToVersionId instead.",
  stageTargetRequired: 'You must specify MoveToVersionId, RemoveFromVersionId, or both.',
  tooManyLabels: 'A secret can have at most 20 staging labels attached to its versions.',
  tooManyVersions:
    'You have exceeded the maximum number of versions for this secret. Deprecated versions are removed only once they are older than 24 hours.',
  tooManyTags: 'You can attach at most 50 tags to a secret.',
  reservedTagKey: "Tag keys can't start with the reserved prefix aws:.",
  missingTagKey: 'A tag must have a Key.',
  duplicateTagKeys: 'The tag list contains duplicate keys.',
  encryptionFailure:
    "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.",
  kmsAccessDenied: 'Access to KMS is not allowed',
  decryptionFailure: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
  invalidNextToken: 'The NextToken value is invalid.',
  batchIdsOrFilters: "Either 'SecretIdList' or 'Filters' must be provided, but not both.",
  batchMaxResultsNeedsFilters:
    "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.",
  crossAccountDefaultKey:
    "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key.",
  publicPolicy: 'This resource policy contains a statement that grants public access to the secret.',
  noRotationLambda: 'No Lambda rotation function ARN is associated with this secret.',
  cannotInvokeLambda:
    'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
  // moto's wording
  rotationInProgress: 'Previous rotation request is still in progress.',
  // unverified
  rotationNotConfigured: 'Rotation is not configured for this secret, so there is nothing to cancel.',
  replicationNotSupported: 'Coffer does not replicate secrets to other Regions yet.',
} as const
