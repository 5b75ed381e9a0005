import { ParameterVersionNotFound } from '../../../aws-api/ssm/errors.js'
import type { RequestContext } from '../../core/context.js'
import { parameterArn, type Reference } from './domain/names.js'
import { msg } from './messages.js'
import { DEFAULT_KEY_ID, type SecureValues } from './secure-values.js'
import type { ParameterRecord, ParameterScope, ParameterVersion, SsmStore } from './store.js'

export interface Selected {
  readonly parameter: ParameterRecord
  readonly version: ParameterVersion
}

/** Reads parameters as GetParameter(s), GetParametersByPath and the history see them (spec §5.2). */
export class ParameterReader {
  constructor(private readonly deps: { store: SsmStore; secure: SecureValues }) {}

  /**
   * The parameter and the version a reference selects (latest, `:<version>` or `:<label>`); undefined
   * when the parameter or the label doesn't exist. A missing version is ParameterVersionNotFound.
   */
  async select(scope: ParameterScope, reference: Reference): Promise<Selected | undefined> {
    const parameter = await this.deps.store.find(scope, reference.key)
    if (parameter === undefined) return undefined
    const selector = reference.selector
    if (selector === undefined) return { parameter, version: parameter.latest }
    if (selector.kind === 'label') {
      const version = await this.deps.store.findVersionByLabel(parameter.id, selector.label)
      return version === undefined ? undefined : { parameter, version }
    }
    const version =
      selector.version === parameter.latest.version
        ? parameter.latest
        : await this.deps.store.findVersion(parameter.id, selector.version)
    if (version === undefined) {
      throw new ParameterVersionNotFound(
        msg.versionNotFound(selector.text.slice(1), reference.echo ?? parameter.name),
      )
    }
    return { parameter, version }
  }

  /** The value a read returns: a SecureString decrypted only with WithDecryption, else its KMS blob (base64). */
  async value(
    ctx: RequestContext,
    parameter: ParameterRecord,
    version: ParameterVersion,
    withDecryption: boolean,
  ): Promise<string> {
    if (version.type !== 'SecureString') return version.value.toString('utf8')
    if (!withDecryption) return version.value.toString('base64')
    return this.deps.secure.open(
      ctx,
      version.keyId ?? DEFAULT_KEY_ID,
      parameterArn(parameter, parameter.key),
      version.value,
    )
  }
}
