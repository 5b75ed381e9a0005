/**
 * Secret names, secret ARNs and their random suffix (spec 3.1, 3.2).
 */
import { ValidationException } from '../../../../lib/aws/errors.js'

/** ASCII letters, digits and `/_+=.@-` [model]. `!`, listed in AWS's error text, is not accepted (spec 3.2, 8). */
const NAME_RE = /^[A-Za-z0-9/_+=.@-]+$/

/** AWS's exact text, `!` included although the documented set has none (spec 3.2). */
export const INVALID_NAME_MESSAGE =
  'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!'

export function isValidSecretName(name: string): boolean {
  return NAME_RE.test(name)
}

/**
 * For CreateSecret `Name`. Checks the characters only; lengths are the model validator's job.
 * Throws `ValidationException` (not InvalidParameterException: that is what AWS answers, spec 3.2).
 */
export function assertValidSecretName(name: string): void {
  if (!NAME_RE.test(name)) throw new ValidationException(INVALID_NAME_MESSAGE)
}

/** For any `SecretId`: ids starting with `arn:` skip the name check and are resolved as ARNs (spec 3.2). */
export function assertValidSecretId(secretId: string): void {
  if (!secretId.startsWith('arn:')) assertValidSecretName(secretId)
}

export interface SecretArnParts {
  readonly partition: string
  readonly region: string
  readonly accountId: string
  /** Everything after `:secret:`, e.g. `prod/db-a1b2c3` (complete) or `prod/db` (partial). */
  readonly resourceName: string
  /** Whether the ARN counts as complete, i.e. ends in `-` + 6 letters/digits (spec 3.1). */
  readonly isComplete: boolean
  /** The secret name: `resourceName` without `-XXXXXX` when complete, else all of it. */
  readonly name: string
  /** The 6-character suffix of a complete ARN. */
  readonly suffix?: string
}

const ARN_RE = /^arn:([a-z0-9-]+):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/
/** A non-empty name, then `-` and 6 letters/digits. A name that is itself `-XXXXXX` stays partial. */
const COMPLETE_RE = /^(.+)-([A-Za-z0-9]{6})$/

/**
 * Splits a Secrets Manager secret ARN; `undefined` when `arn` is not one (other service or resource
 * type, malformed account, or a resource part that could not name a secret). Region and account are not
 * compared with the server's: that is the caller's decision.
 *
 * AWS quirk (spec 3.1): a partial ARN whose name happens to end in `-` + 6 alphanumerics is read as a
 * complete ARN, so such a secret can't be found by partial ARN.
 */
export function parseSecretArn(arn: string): SecretArnParts | undefined {
  const match = ARN_RE.exec(arn)
  if (!match) return undefined
  const [, partition = '', region = '', accountId = '', resourceName = ''] = match
  if (!NAME_RE.test(resourceName)) return undefined
  const complete = COMPLETE_RE.exec(resourceName)
  const base = { partition, region, accountId, resourceName }
  if (!complete) return { ...base, isComplete: false, name: resourceName }
  return { ...base, isComplete: true, name: complete[1] ?? '', suffix: complete[2] ?? '' }
}

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export const SECRET_ARN_SUFFIX_LENGTH = 6

/** The random mixed-case alphanumeric ARN suffix; a recreated secret gets a new one (spec 3.1). */
export function newSecretArnSuffix(random: (maxExclusive: number) => number): string {
  let suffix = ''
  for (let i = 0; i < SECRET_ARN_SUFFIX_LENGTH; i++)
    suffix += SUFFIX_CHARS.charAt(random(SUFFIX_CHARS.length))
  return suffix
}

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<suffix>`; the name is embedded verbatim. */
export function secretArn(
  region: string,
  accountId: string,
  name: string,
  suffix: string,
  partition = 'aws',
): string {
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`
}
