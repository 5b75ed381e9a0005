import { ValidationException } from '../../../../lib/aws/errors.js'
import { validationMessage } from '../../../../lib/aws/validate.js'
import { msg, StsValidationError } from '../messages.js'
import { parseRoleArn, type RoleArnParts } from './arns.js'

/**
 * Input checks on top of the generated validators, which test the model's patterns unanchored (a
 * pattern like `[\w+=,.@-]*` then accepts anything); AWS matches them in full (spec §6.1: 'Session1:2'
 * is refused). Violations use the validators' wording and STS's code `ValidationError`.
 */
const NAME = /^[\w+=,.@-]*$/
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/
const SERIAL_NUMBER = /^[\w+=/:,.@-]*$/
const TOKEN_CODE = /^\d*$/
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
const SESSION_POLICY_MAX = 2048
const POLICY_ARNS_MAX = 10

type Check = [path: string, value: string | undefined, pattern: RegExp, source: string]

/** The members STS checks by pattern, with the paths and pattern texts the validators report. */
export interface PatternedInput {
  readonly RoleSessionName?: string
  readonly ExternalId?: string
  readonly SourceIdentity?: string
  readonly SerialNumber?: string
  readonly TokenCode?: string
  readonly Policy?: string
  readonly PolicyArns?: readonly { readonly arn?: string }[]
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[]
  readonly TransitiveTagKeys?: readonly string[]
}

export function checkPatterns(input: PatternedInput): void {
  const errors: string[] = []
  const checks: Check[] = [
    ['roleSessionName', input.RoleSessionName, NAME, '[\\w+=,.@-]*'],
    ['externalId', input.ExternalId, EXTERNAL_ID, '[\\w+=,.@:\\/-]*'],
    ['sourceIdentity', input.SourceIdentity, NAME, '[\\w+=,.@-]*'],
    ['serialNumber', input.SerialNumber, SERIAL_NUMBER, '[\\w+=/:,.@-]*'],
    ['tokenCode', input.TokenCode, TOKEN_CODE, '[\\d]*'],
  ]
  input.Tags?.forEach((tag, i) => {
    checks.push([`tags.${i + 1}.member.key`, tag.Key, TAG_KEY, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+'])
    checks.push([`tags.${i + 1}.member.value`, tag.Value, TAG_VALUE, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*'])
  })
  input.TransitiveTagKeys?.forEach((key, i) =>
    checks.push([`transitiveTagKeys.${i + 1}.member`, key, TAG_KEY, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+']),
  )
  for (const [path, value, pattern, source] of checks) {
    if (value !== undefined && !pattern.test(value)) {
      errors.push(
        `Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${source}`,
      )
    }
  }
  if (input.Policy !== undefined && [...input.Policy].length > SESSION_POLICY_MAX) {
    errors.push(
      `Value '${input.Policy}' at 'policy' failed to satisfy constraint: Member must have length less than or equal to ${SESSION_POLICY_MAX}`,
    )
  }
  if (input.PolicyArns !== undefined && input.PolicyArns.length > POLICY_ARNS_MAX) {
    errors.push(
      `Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${POLICY_ARNS_MAX}`,
    )
  }
  if (errors.length > 0) throw new StsValidationError(validationMessage(errors))
}

/** A role ARN, or `ValidationError "<arn> is invalid"` (spec §6.1). */
export function requireRoleArn(arn: string): RoleArnParts {
  const parts = parseRoleArn(arn)
  if (parts === undefined) throw new StsValidationError(msg.invalidArn(arn))
  return parts
}

/**
 * Wraps a generated parser for STS: constraint violations carry STS's code `ValidationError` (spec §6.1),
 * then the anchored pattern checks run.
 */
export function stsParser<I extends PatternedInput>(parse: (raw: unknown) => I): (raw: unknown) => I {
  return (raw) => {
    let input: I
    try {
      input = parse(raw)
    } catch (error) {
      if (error instanceof ValidationException) throw new StsValidationError(error.message)
      throw error
    }
    checkPatterns(input)
    return input
  }
}
