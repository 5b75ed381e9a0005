import { UnrecognizedClientException } from '../../lib/aws/errors.js'
import type { Clock } from '../../lib/clock.js'
import type { ServiceDef } from '../core/operation.js'
import type { CredentialResolver } from '../services/iam/credentials.js'
import { rootArn, type Principal } from '../services/iam/principal.js'
import {
  checkCredentialScope,
  parseAuthorization,
  SigningKeyCache,
  verifySignature,
  type ParsedAuth,
  type SigV4Request,
} from './sigv4/index.js'

const GLOBAL_REGION = 'us-east-1'

export interface Authenticated {
  readonly principal: Principal
  readonly region: string
}

export interface AuthenticatorOptions {
  /**
   * Accept any credentials without verifying signatures (LocalStack-style). An access key that belongs
   * to a configured principal (a user's key, a session's) still means that principal, whose policies
   * are evaluated as usual — so least privilege can be tried locally; any other caller is the root
   * of the default account, which may do everything in it.
   */
  readonly dev: boolean
  /** Regions this deployment serves; a signature scoped elsewhere is refused (any region in dev mode). */
  readonly regions: ReadonlySet<string>
  readonly defaultRegion: string
  readonly defaultAccountId: string
}

/**
 * Turns a signed request into a principal: SigV4 verification against the access key's secret
 * (spec §2), or, in dev mode, whatever the request claims.
 */
export class Authenticator {
  private readonly signingKeys = new SigningKeyCache(10_000)
  private globalRegions: ReadonlySet<string> | undefined

  constructor(
    private readonly deps: { credentials: CredentialResolver; clock: Clock },
    private readonly options: AuthenticatorOptions,
  ) {}

  async authenticate(req: SigV4Request, service: ServiceDef): Promise<Authenticated> {
    if (this.options.dev) return this.devAuthenticate(req)
    const auth = parseAuthorization(req)
    checkCredentialScope(auth, service.signingName, this.regionsFor(service))
    // Temporary credentials need their session token (and expire); a token on a long-term key is invalid.
    const credential = await this.deps.credentials.resolve(auth.accessKeyId, auth.securityToken)
    if (credential === undefined) throw new UnrecognizedClientException()
    verifySignature(
      req,
      auth,
      {
        now: this.deps.clock.now(),
        skewMs: service.signatureSkewMs,
        secretAccessKey: credential.secretAccessKey,
      },
      this.signingKeys,
    )
    return { principal: credential.principal, region: auth.region }
  }

  /**
   * For operations that carry their own proof instead of a signature (AssumeRoleWithWebIdentity): an
   * anonymous caller, with no permissions of its own, in the deployment's default account and region.
   */
  anonymous(): Authenticated {
    return {
      principal: {
        type: 'Root',
        accountId: this.options.defaultAccountId,
        arn: 'anonymous',
        principalArn: 'anonymous',
        principalId: 'anonymous',
        accessKeyId: '',
      },
      region: this.options.defaultRegion,
    }
  }

  /** Global services (IAM, STS's global endpoint) are also signed for us-east-1. */
  private regionsFor(service: ServiceDef): ReadonlySet<string> {
    if (service.protocol !== 'query' || !service.global || this.options.regions.has(GLOBAL_REGION)) {
      return this.options.regions
    }
    return (this.globalRegions ??= new Set([...this.options.regions, GLOBAL_REGION]))
  }

  /** Dev mode: the configured principal the access key names, else the default account's root. */
  private async devAuthenticate(req: SigV4Request): Promise<Authenticated> {
    let auth: ParsedAuth | undefined
    if (req.headers['authorization'] !== undefined || req.query.includes('X-Amz-')) {
      try {
        auth = parseAuthorization(req)
      } catch {
        auth = undefined
      }
    }
    const known =
      auth === undefined
        ? undefined
        : await this.deps.credentials.resolve(auth.accessKeyId, auth.securityToken)
    return {
      principal: known?.principal ?? this.devPrincipal(auth?.accessKeyId ?? 'anonymous'),
      region: auth?.region ?? this.options.defaultRegion,
    }
  }

  /** The account root (type `Root`, the root ARN): the authorizer lets it do anything in its account. */
  private devPrincipal(accessKeyId: string): Principal {
    const accountId = this.options.defaultAccountId
    const arn = rootArn(accountId)
    return {
      type: 'Root',
      accountId,
      arn,
      principalArn: arn,
      principalId: accountId,
      accessKeyId,
    }
  }
}
