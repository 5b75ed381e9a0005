import type { ShapeTable } from '../../lib/aws/schema-types.js'
import type { AuthorizationTarget } from './authorize.js'
import type { RequestContext } from './context.js'

/**
 * An operation is one declaration: the core reads its action and validator and runs the handler only
 * after validation and authorization. Handlers hold business logic only — they never authorize or audit.
 */
export interface OperationDef<I = unknown, O = unknown> {
  /** Wire service id, e.g. `secretsmanager`. */
  readonly service: string
  /** Operation name as in the model, e.g. `GetSecretValue`. */
  readonly name: string
  /** IAM action, e.g. `secretsmanager:GetSecretValue`. */
  readonly action: string
  /** CloudTrail's readOnly flag for the audit trail. */
  readonly readOnly: boolean
  /** The generated model validator: raw JSON → typed input, or a ValidationException/SerializationException. */
  readonly parse: (raw: unknown) => I
  readonly handle: (input: I, ctx: RequestContext) => Promise<O>
  /**
   * What the request acts on, for authorization (its resource ARN, resource policy, tags and condition
   * keys). Absent: `*` in the caller's account. It may look the resource up; the handler looks it up again
   * (reads are cached per request), so a handler never depends on authorization having run.
   */
  readonly target?: (input: I, ctx: RequestContext) => Promise<AuthorizationTarget>
  /**
   * `public`: no authorization at all (GetCallerIdentity). `anonymous`: not even authentication — the
   * request carries no AWS signature and the operation checks its own proof (AssumeRoleWithWebIdentity).
   */
  readonly access?: 'public' | 'anonymous'
  /**
   * Operations over several resources whose per-resource checks AWS logs as calls of their own
   * (BatchGetSecretValue → one `GetSecretValue` record per secret, reference §1): each `ctx.authorize`
   * of `action` becomes a record named `eventName`, written by the core with the request's.
   */
  readonly itemRecords?: { readonly action: string; readonly eventName: string }
  /** awsQuery: the model's input and output shapes and the result wrapper element. */
  readonly shapes?: { readonly input?: string; readonly output?: string; readonly resultWrapper?: string }
}

export function defineOperation<I, O>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def
}

interface ServiceCommon {
  readonly id: string
  /** SigV4 credential-scope service name. */
  readonly signingName: string
  /** Allowed clock skew for signatures (5 min for most services, 15 for STS). */
  readonly signatureSkewMs: number
  /** The code of the service's modeled server fault (`InternalServiceError`, `KMSInternalException`, …). */
  readonly internalErrorCode: string
  readonly operations: ReadonlyMap<string, OperationDef>
  /** The generated shape table: awsQuery's codec and the audit trail's redaction walk it. */
  readonly shapes: ShapeTable
}

/** awsJson1_1 (Secrets Manager, KMS, SSM): routed by `X-Amz-Target: <targetPrefix>.<Operation>`. */
export interface JsonServiceDef extends ServiceCommon {
  readonly protocol: 'json'
  readonly targetPrefix: string
  /** Other prefixes clients send (CloudTrail: the JS SDK sends `CloudTrail_20131101`, botocore the full name). */
  readonly targetPrefixAliases?: readonly string[]
}

/**
 * awsQuery (STS, IAM): routed by the form field `Action`; responses are XML built from the shape table.
 * Global services also accept signatures scoped to us-east-1, whatever regions the deployment serves.
 */
export interface QueryServiceDef extends ServiceCommon {
  readonly protocol: 'query'
  readonly xmlNamespace: string
  readonly global: boolean
}

/** A wire service as the protocol layer routes to it. */
export type ServiceDef = JsonServiceDef | QueryServiceDef
