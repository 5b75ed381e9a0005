import type { Parameter } from '../../../aws-api/ssm/types.js'
import { InvalidKeyId, ParameterNotFound } from '../../../aws-api/ssm/errors.js'
import { AwsError, ValidationException } from '../../../lib/aws/errors.js'
import type { RequestContext } from '../../core/context.js'
import { assertKeyUsableFrom, type SecretLookup } from '../secretsmanager/secret-lookup.js'
import { secretTarget } from '../secretsmanager/targets.js'
import type { ValueReader, VersionSelector } from '../secretsmanager/value-reader.js'
import { SECRET_REFERENCE_PREFIX } from './domain/names.js'
import { msg } from './messages.js'

/** `/aws/reference/secretsmanager/<secret-id>[:<VersionId or VersionStage>]`, split. */
export interface SecretReferenceName {
  /** The reference without its selector, as the response's `Name` echoes it. */
  readonly path: string
  readonly secretId: string
  readonly selector?: string
}

/** A secret ARN has 7 `:`-separated fields (`arn:aws:secretsmanager:<region>:<acct>:secret:<name>`). */
const ARN_FIELDS = 7
/** Version ids are 32-64 characters (spec §3.3); stage labels only letters, digits, `.`, `-`, `_`. */
const VERSION_ID = /^.{32,64}$/s

export function isSecretReference(name: string): boolean {
  return name.startsWith(SECRET_REFERENCE_PREFIX)
}

export function parseSecretReference(name: string): SecretReferenceName {
  const id = name.slice(SECRET_REFERENCE_PREFIX.length)
  const fields = id.split(':')
  const kept = id.startsWith('arn:') ? ARN_FIELDS : 1
  if (fields.length <= kept) return { path: name, secretId: id }
  const secretId = fields.slice(0, kept).join(':')
  return {
    path: SECRET_REFERENCE_PREFIX + secretId,
    secretId,
    selector: fields.slice(kept).join(':'),
  }
}

/**
 * The read-only Secrets Manager passthrough (spec §5.3): GetParameter(s) of a reference read the secret
 * as GetSecretValue would — Secrets Manager's authorization (`secretsmanager:GetSecretValue` on the
 * secret, its resource policy included) applies to the caller — and answer it as a SecureString
 * parameter of version 0 whose ARN is the secret's and whose SourceResult is the GetSecretValue result.
 */
export class SecretReferences {
  constructor(private readonly deps: { lookup: SecretLookup; reader: ValueReader }) {}

  /** The parameter, or undefined when the secret (or the selected version) doesn't exist. */
  async read(ctx: RequestContext, name: string, withDecryption: boolean): Promise<Parameter | undefined> {
    if (!withDecryption) throw new ValidationException(msg.withDecryptionRequired)
    const reference = parseSecretReference(name)
    if (reference.secretId === '' || reference.selector === '') return undefined
    try {
      const secret = await this.deps.lookup.find(ctx, reference.secretId)
      if (secret === undefined || secret.deletedAt !== undefined) return undefined
      const selector = selectorFor(reference.selector)
      await ctx.authorize(
        'secretsmanager:GetSecretValue',
        secretTarget(ctx, reference.secretId, secret, [
          ['secretsmanager:versionid', selector.versionId],
          ['secretsmanager:versionstage', selector.stage],
        ]),
      )
      assertKeyUsableFrom(ctx, secret)
      let entry
      try {
        entry = await this.deps.reader.read(ctx, secret, selector)
      } catch (error) {
        // A selector that is no version id of the secret may still be a stage label.
        if (selector.versionId === undefined || !isClientError(error, 'ResourceNotFoundException'))
          throw error
        entry = await this.deps.reader.read(ctx, secret, { stage: reference.selector })
      }
      const value =
        entry.SecretString ?? Buffer.from(entry.SecretBinary ?? new Uint8Array()).toString('base64')
      return {
        Name: reference.path,
        Type: 'SecureString',
        Value: value,
        Version: 0,
        ...(reference.selector !== undefined && { Selector: `:${reference.selector}` }),
        SourceResult: JSON.stringify({
          ARN: entry.ARN,
          name: entry.Name,
          versionId: entry.VersionId,
          ...(entry.SecretString !== undefined ? { secretString: value } : { secretBinary: value }),
          versionStages: entry.VersionStages,
          createdDate: (entry.CreatedDate?.getTime() ?? 0) / 1000,
        }),
        ...(entry.CreatedDate !== undefined && { LastModifiedDate: entry.CreatedDate }),
        ...(entry.ARN !== undefined && { ARN: entry.ARN }),
      }
    } catch (error) {
      if (
        isClientError(error, 'ResourceNotFoundException', 'InvalidRequestException', 'ValidationException')
      ) {
        return undefined
      }
      if (isClientError(error, 'DecryptionFailure')) throw new InvalidKeyId(msg.secretReferenceFailed)
      throw error
    }
  }

  /** GetParameter's answer for a reference that doesn't resolve (spec §5.3). */
  static notFound(name: string): ParameterNotFound {
    return new ParameterNotFound(msg.secretReferenceNotFound(parseSecretReference(name).path))
  }
}

/** A VersionId (32-64 characters) or, otherwise, a stage label; a VersionId that isn't one is retried as a label. */
function selectorFor(selector: string | undefined): VersionSelector {
  if (selector === undefined) return {}
  return VERSION_ID.test(selector) ? { versionId: selector } : { stage: selector }
}

function isClientError(error: unknown, ...codes: string[]): boolean {
  return error instanceof AwsError && error.fault === 'client' && codes.includes(error.code)
}
