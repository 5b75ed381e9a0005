/**
 * KMS error texts (spec §4). Those marked (unverified) have no AWS recording; the others are quoted
 * from AWS recordings or the model documentation.
 */
export const msg = {
  invalidKeyId: (id: string) => `Invalid keyId '${id}'`,
  keyNotFound: (arn: string) => `Key '${arn}' does not exist`,
  invalidArnRegion: (region: string) => `Invalid arn ${region}`,
  aliasNotFound: (aliasArn: string) => `Alias ${aliasArn} is not found.`,
  aliasPrefix:
    'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
  aliasExists: (aliasArn: string) => `An alias with the name ${aliasArn} already exists`,
  /** (unverified) */
  aliasName: (name: string) => `${name} is not a valid alias name.`,
  disabled: (arn: string) => `${arn} is disabled.`,
  pendingDeletion: (arn: string) => `${arn} is pending deletion.`,
  /** (unverified; LocalStack) */
  notPendingDeletion: (arn: string) => `${arn} is not pending deletion.`,
  incorrectKey: 'The key ID in the request does not identify a CMK that can perform this operation.',
  tagsReserved: 'Tags beginning with aws: are reserved',
  duplicateTagKeys: 'Duplicate tag keys',
  tooManyTags: 'Too many tags',
  pendingWindow: (days: number) => `PendingWindowInDays should be between 7 and 30, but it is ${days}`,
  /** (unverified; LocalStack) */
  dataKeySpec: 'Please specify either number of bytes or key spec.',
  /** (unverified) */
  numberOfBytesMissing:
    "1 validation error detected: Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null",
  /** (unverified; widely quoted) */
  lockout: 'The new key policy will not allow you to update the key policy in the future.',
  /** (unverified; widely quoted) */
  invalidPrincipals: 'Policy contains a statement with one or more invalid principals.',
  /** (unverified) */
  malformedPolicy: 'The policy is not syntactically correct.',
  /** (unverified) */
  policyTooLarge: 'The key policy exceeds the maximum size of 32768 bytes.',
  /** (unverified) */
  policyName: 'No such policy exists',
  dryRun: 'The request would have succeeded, but the DryRun option is set.',
  /** (unverified) */
  algorithm: (algorithm: string) => `Algorithm ${algorithm} is incompatible with key spec SYMMETRIC_DEFAULT.`,
  /** (unverified) */
  invalidMarker: 'The marker is not valid.',
  /** (unverified) */
  onDemandLimit: (arn: string) =>
    `${arn} has reached the maximum of 25 on-demand rotations. Use automatic rotation instead.`,
  /** Coffer's own: what AWS supports and Coffer does not. */
  symmetricOnly:
    'Coffer supports only symmetric encryption keys (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT).',
  originUnsupported: 'Coffer supports only keys with Origin AWS_KMS.',
  multiRegionUnsupported: 'Coffer does not support multi-Region keys.',
  customKeyStore: (id: string) => `Custom key store '${id}' does not exist.`,
  recipientUnsupported: 'Recipient (attested enclaves) is not supported by Coffer.',
  keySpecConflict: 'KeySpec and CustomerMasterKeySpec must not differ.',
  /** AWS's AccessDenied text, for what an AWS-managed key's policy never allows directly. */
  managedKeyDenied: (caller: string, action: string, arn: string) =>
    `User: ${caller} is not authorized to perform: ${action} on resource: ${arn} because no resource-based policy allows the ${action} action`,
} as const
