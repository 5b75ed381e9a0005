import { InternalServerError, InvalidKeyId } from '../../../aws-api/ssm/errors.js'
import { IntegrityError } from '../../../lib/neutral-errors.js'
import type { RequestContext } from '../../core/context.js'
import { keyTarget } from '../kms/authorization.js'
import { decodeHeader } from '../kms/ciphertext.js'
import { KmsInvalidCiphertextError, KmsKeyUnavailableError } from '../kms/errors.js'
import type { KmsKeys } from '../kms/keys.js'
import type { KeyRecord } from '../kms/store.js'
import { msg } from './messages.js'

/** The KeyId a SecureString records when the caller names none [M PutParameterRequest.KeyId]. */
export const DEFAULT_KEY_ID = 'alias/aws/ssm'

/**
 * SecureString values under KMS, as AWS stores them: each value is one KMS ciphertext blob made under
 * the encryption context `{"PARAMETER_ARN": "<arn>"}` — the blob GetParameter returns (base64) without
 * WithDecryption, and which KMS Decrypt with that context opens (given a key policy that lets the caller
 * use the key directly, i.e. a customer key).
 *
 * SSM uses the key on the caller's behalf, so the caller needs `kms:Encrypt` / `kms:Decrypt` on it with
 * `kms:ViaService = ssm.<region>.amazonaws.com` — what the `aws/ssm` key policy grants the account.
 * KMS's neutral failures become InvalidKeyId (a key that is missing, disabled or pending deletion) or,
 * for a blob that doesn't open under its own parameter's context, InternalServerError.
 */
export class SecureValues {
  /** Keys and actions already authorized per request (GetParametersByPath decrypts many values). */
  private readonly authorized = new WeakMap<RequestContext, Set<string>>()

  constructor(
    private readonly deps: { kms: Pick<KmsKeys, 'resolve' | 'encrypt' | 'decrypt' | 'requireUsable'> },
  ) {}

  /** The key for a caller-given KeyId (id, ARN, alias, alias ARN); `alias/aws/ssm` is created on first use. */
  async key(ctx: RequestContext, keyId: string): Promise<KeyRecord> {
    const where = { accountId: ctx.principal.accountId, region: ctx.region }
    return this.onKeyFailure(keyId, () => this.deps.kms.resolve(where, keyId))
  }

  async seal(ctx: RequestContext, key: KeyRecord, keyId: string, parameterArn: string, value: string) {
    await this.authorize(ctx, 'kms:Encrypt', key, parameterArn, keyId)
    return this.onKeyFailure(keyId, () =>
      this.deps.kms.encrypt(key, Buffer.from(value, 'utf8'), context(parameterArn)),
    )
  }

  async open(ctx: RequestContext, keyId: string, parameterArn: string, blob: Buffer): Promise<string> {
    const { plaintext } = await this.onKeyFailure(keyId, async () => {
      const key = await this.deps.kms.requireUsable(decodeHeader(blob).keyId)
      await this.authorize(ctx, 'kms:Decrypt', key, parameterArn, keyId)
      return this.deps.kms.decrypt(blob, context(parameterArn))
    })
    try {
      return plaintext.toString('utf8')
    } finally {
      plaintext.fill(0)
    }
  }

  private async authorize(
    ctx: RequestContext,
    action: string,
    key: KeyRecord,
    parameterArn: string,
    keyId: string,
  ): Promise<void> {
    let done = this.authorized.get(ctx)
    if (done === undefined) this.authorized.set(ctx, (done = new Set()))
    const id = `${action}\n${key.keyId}\n${parameterArn}`
    if (done.has(id)) return
    await ctx.authorize(
      action,
      keyTarget(key, {
        callerAccountId: ctx.principal.accountId,
        viaService: `ssm.${ctx.region}.amazonaws.com`,
        encryptionContext: context(parameterArn),
        ...(/^(arn:[^:]*:kms:[^:]*:[^:]*:)?alias\//.test(keyId) && {
          alias: keyId.replace(/^arn:.*?:alias/, 'alias'),
        }),
      }),
    )
    done.add(id)
  }

  private async onKeyFailure<T>(keyId: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action()
    } catch (error) {
      if (error instanceof KmsKeyUnavailableError) {
        throw new InvalidKeyId(
          error.reason === 'InvalidKeyId' || error.reason === 'NotFound'
            ? msg.invalidKeyId(keyId)
            : msg.keyUnavailable(keyId),
        )
      }
      if (error instanceof KmsInvalidCiphertextError || error instanceof IntegrityError) {
        throw new InternalServerError(msg.decryptionFailed)
      }
      throw error
    }
  }
}

function context(parameterArn: string): Record<string, string> {
  return { PARAMETER_ARN: parameterArn }
}
