import { AwsError } from '../../../lib/aws/errors.js'

/**
 * STS's own wire errors that the model does not declare (awsQuery codes, spec §6.1) and AWS's texts.
 * Texts quoted in the spec or seen in AWS output are marked with their source; the others follow AWS's
 * style and are marked unverified.
 */
export class StsValidationError extends AwsError {
  constructor(message: string) {
    super({ code: 'ValidationError', status: 400, fault: 'client' }, message)
  }
}

export class InvalidParameterValue extends AwsError {
  constructor(message: string) {
    super({ code: 'InvalidParameterValue', status: 400, fault: 'client' }, message)
  }
}

/** `AccessDenied` (403) as STS answers it. */
export class StsAccessDenied extends AwsError {
  constructor(message: string) {
    super({ code: 'AccessDenied', status: 403, fault: 'client' }, message)
  }
}

export const msg = {
  // spec §6.1 [LS-snap]
  invalidArn: (arn: string) => `${arn} is invalid`,
  // spec §6.2 [iss]
  notAuthorized: (callerArn: string, action: string, resource: string) =>
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`,
  // AWS's wording (IAM User Guide, "Role chaining"; widely quoted)
  chainedDuration:
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  maxSessionDuration: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  // spec §6.2 [LS-snap]
  duplicateTagKeys: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  transitiveNotInTags: 'The specified transitive tag key must be included in the requested tags.',
  transitiveConflict:
    "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
  // model documentation of GetSessionToken ("must be called by using the long-term credentials"); text [iss]
  sessionTokenWithSession: 'Cannot call GetSessionToken with session credentials',
  // [iss]; Coffer has no MFA devices, so any MFA code is invalid
  mfaFailed: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ',
  // unverified
  policyNotJson: 'The policy is not in the valid JSON format.',
  policySyntax: (detail: string) => `Syntax errors in policy. ${detail}`,
  // unverified (AWS: "Packed policy consumes N% of allotted space, please use smaller policy.")
  packedTooLarge: (percent: number) =>
    `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`,
  // unverified (IAM's AttachRolePolicy wording)
  policyArnNotFound: (arn: string) => `Policy ${arn} does not exist or is not attachable.`,

  // AssumeRoleWithWebIdentity. [iss] = seen in AWS output quoted in GitHub issues.
  // [iss aws-actions/configure-aws-credentials]
  noOidcProvider: (issuer: string) => `No OpenIDConnect provider found in your account for ${issuer}`,
  // [iss]
  incorrectAudience: 'Incorrect token audience',
  // [iss] (AWS writes no space before the second number)
  tokenExpired: (nowSeconds: number, expSeconds: number) =>
    `Token expired: current date/time ${nowSeconds} must be before the expiration date/time${expSeconds}`,
  // [iss]
  jwksUnavailable:
    "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  // [iss]
  webIdentityDenied: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
  // unverified
  notAJwt: 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
  badSignature: 'The signature of the web identity token could not be verified.',
  missingClaim: (claim: string) => `The web identity token is missing the ${claim} claim.`,
  invalidClaim: (claim: string) => `The web identity token has an invalid ${claim} claim.`,
  notYetValid: 'The web identity token is not yet valid.',
  issuedInFuture: 'The web identity token was issued in the future.',
} as const
