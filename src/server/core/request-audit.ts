import type { Logger } from 'pino'
import { AwsError, InternalFailure } from '../../lib/aws/errors.js'
import type { Clock } from '../../lib/clock.js'
import { timeOrderedUuid, type Random } from '../../lib/random.js'
import type { AuditLog } from '../audit/audit-log.js'
import { cloudTrailForm } from '../audit/redact.js'
import {
  bounded,
  eventTime,
  identityOf,
  resourceTypeOf,
  truncate,
  type CloudTrailRecord,
  type LookupResource,
  type RecordResource,
  type UserIdentity,
} from '../audit/record.js'
import { cloudTrailEvent } from '../events/cloudtrail-event.js'
import type { ApiCallEvents, ReadOnlyEventRules } from '../events/outbox.js'
import type { Fault } from '../rotation/fault.js'
import type { Principal } from '../services/iam/principal.js'
import type { WriteParticipant } from '../storage/write-scope.js'
import type { AuthorizationTarget } from './authorize.js'
import type { OperationDef, ServiceDef } from './operation.js'

/** What the pipeline learnt about a request on its way: the validated input and what was authorized. */
export interface PipelineTrace {
  input?: unknown
  target?: AuthorizationTarget
  /** Joins the transactions of a mutating handler (see `Pipeline`); set by the HTTP layer. */
  participant?: WriteParticipant
  /** Per-item checks of the operation's `itemRecords` action, in order, with their refusal if any. */
  items?: { readonly action: string; readonly target: AuthorizationTarget; readonly error?: unknown }[]
}

/** What the HTTP layer knows about a request, filled in as it goes; the auditor reads it at the end. */
export interface AuditedRequest {
  readonly requestId: string
  readonly sourceIp: string
  readonly userAgent: string | undefined
  /** The `Authorization` header or presigned query (for the claimed access key of a refused request). */
  readonly credential: string | undefined
  readonly trace: PipelineTrace
  service?: ServiceDef | undefined
  /** The operation asked for (also when it is unknown). */
  operationName?: string | undefined
  principal?: Principal | undefined
  region?: string | undefined
  /** The decoded request before validation, for when validation refuses it. */
  rawInput?: unknown
  /** The record's (and event's) id, chosen when the request first holds its event, else at the end. */
  eventId?: string
}

export type Outcome = { readonly output: unknown } | { readonly error: AwsError }

export interface RequestAuditorOptions {
  /** A request whose record cannot be written fails (InternalFailure) instead of being answered. */
  readonly failClosed: boolean
  readonly defaultAccountId: string
  readonly defaultRegion: string
  /** How long a held event blocks readers if its request never completes it (its process died). */
  readonly holdMs: number
}

const CREDENTIAL = /Credential=([^/,\s&]+)\/\d{8}\/([^/]+)\/([^/]+)\//

/**
 * Builds the one CloudTrail record of every request (reference §1), whatever its outcome — success,
 * AWS error, refused signature or authorization — and writes it before the answer is sent: to the
 * audit trail (absent when the trail is disabled) and as the detail of its "AWS API Call via
 * CloudTrail" event (reference §3: one record, two consumers). The HTTP layer calls it on every exit
 * path; handlers never do.
 *
 * Every call that is not read-only raises its event. A read-only call raises one (and a
 * BatchGetSecretValue one per secret record) only while a rule of its account and Region wants them
 * (`ReadOnlyEventRules`): only such rules could receive them, and otherwise reads write nothing.
 */
export class RequestAuditor {
  constructor(
    private readonly deps: {
      /** The audit trail; absent when it is disabled (records are then built only for events). */
      log?: AuditLog
      events: ApiCallEvents
      readOnlyEvents: ReadOnlyEventRules
      clock: Clock
      random: Pick<Random, 'uuid'>
      logger: Logger
      /** Fault injection (tests): `events:before-complete` — the change committed, its event still held. */
      fault?: Fault
    },
    private readonly options: RequestAuditorOptions,
  ) {}

  /**
   * The request's write-scope participant: inside each transaction of a mutating handler, holds the
   * event with the record as known so far (no output yet; `responseElements {arn}` when the store
   * named the resource). Completed by `record`; a hold whose process dies expires and is delivered so.
   */
  participant(request: AuditedRequest): WriteParticipant {
    return (resourceArn) => {
      request.eventId ??= this.eventId()
      const { record } = this.build(request, { output: undefined }, resourceArn)
      const now = this.deps.clock.now()
      const subject = resourceArn ?? targetArn(request)
      this.deps.events.hold(cloudTrailEvent(record, subject), now + this.options.holdMs)
    }
  }

  /**
   * Records the outcome and resolves once the record is durable. Returns the error to answer instead
   * when the record could not be written and the trail fails closed; never throws.
   */
  async record(request: AuditedRequest, outcome: Outcome): Promise<AwsError | undefined> {
    let record: CloudTrailRecord
    let resources: LookupResource[]
    let items: { record: CloudTrailRecord; resources: LookupResource[] }[]
    const held = request.eventId !== undefined // a transaction of the request held its event
    // Not for requests naming no operation Coffer has.
    const op = request.service?.operations.get(request.operationName ?? '')
    const raisesEvent =
      op !== undefined &&
      (!op.readOnly ||
        this.deps.readOnlyEvents.wanted(
          request.principal?.accountId ?? this.options.defaultAccountId,
          request.region ?? this.options.defaultRegion,
        ))
    if (this.deps.log === undefined && !raisesEvent) return undefined // no trail, no event: nothing to build
    try {
      ;({ record, resources } = this.build(request, outcome))
      items = this.itemRecords(request, record)
    } catch (error) {
      return this.failed(request, error)
    }
    if (held) this.deps.fault?.('events:before-complete')
    if (raisesEvent) {
      this.completeEvent(
        request,
        record,
        ('output' in outcome ? arnOf(outcome.output) : undefined) ?? targetArn(request),
      )
      for (const item of items) this.completeEvent(request, item.record, item.resources[0]?.name)
    }
    const log = this.deps.log
    if (log === undefined) return undefined
    try {
      await Promise.all([
        log.recordApiCall(record, resources),
        ...items.map((item) => log.recordApiCall(item.record, item.resources)),
      ])
      return undefined
    } catch (error) {
      return this.failed(request, error)
    }
  }

  /**
   * Completes the held event (or appends it when none was held). A failure here does not change the
   * answer: the change, if any, is committed with its held event, which expiry releases as it is.
   */
  private completeEvent(
    request: AuditedRequest,
    record: CloudTrailRecord,
    subject: string | undefined,
  ): void {
    try {
      this.deps.events.complete(cloudTrailEvent(record, subject))
    } catch (error) {
      this.deps.logger.error(
        { err: error, requestId: request.requestId, operation: request.operationName },
        'API call event not completed',
      )
    }
  }

  /** One record per noted item check (BatchGetSecretValue → GetSecretValue per secret), read-only. */
  private itemRecords(
    request: AuditedRequest,
    parent: CloudTrailRecord,
  ): { record: CloudTrailRecord; resources: LookupResource[] }[] {
    const op = request.service?.operations.get(request.operationName ?? '')
    const spec = op?.itemRecords
    if (spec === undefined) return []
    return (request.trace.items ?? [])
      .filter((item) => item.action === spec.action)
      .map((item) => {
        const arn = item.target.resource
        const error = item.error instanceof AwsError ? item.error : undefined
        const { errorCode: _code, errorMessage: _message, ...common } = parent
        const record: CloudTrailRecord = {
          ...common,
          eventName: spec.eventName,
          ...(error !== undefined && { errorCode: error.code, errorMessage: truncate(error.message) }),
          requestParameters: { secretId: arn },
          responseElements: null,
          eventID: this.eventId(),
          readOnly: true,
        }
        const type = resourceTypeOf(arn)
        return { record: reordered(record), resources: type === undefined ? [] : [{ type, name: arn }] }
      })
  }

  /** Time-ordered, so that the trail's unique index on event ids grows at its end. */
  private eventId(): string {
    return timeOrderedUuid(this.deps.clock.now(), this.deps.random)
  }

  private failed(request: AuditedRequest, error: unknown): AwsError | undefined {
    this.deps.logger.error(
      { err: error, requestId: request.requestId, operation: request.operationName },
      'audit record not written',
    )
    return this.options.failClosed ? new InternalFailure(request.service?.internalErrorCode) : undefined
  }

  /** `heldArn`: building the provisional record of a held event, whose resource the store named. */
  private build(
    request: AuditedRequest,
    outcome: Outcome,
    heldArn?: string,
  ): { record: CloudTrailRecord; resources: LookupResource[] } {
    const service = request.service
    const op: OperationDef | undefined = service?.operations.get(request.operationName ?? '')
    const principal = request.principal
    // What the signature claims, for what the request did not get as far as establishing.
    const scope =
      principal === undefined || service === undefined || request.region === undefined
        ? CREDENTIAL.exec(decoded(request.credential ?? ''))
        : null
    const error = 'error' in outcome ? outcome.error : undefined
    const output = 'output' in outcome ? outcome.output : undefined
    const shapes = service?.shapes
    const readOnly = op?.readOnly ?? false
    const parameters =
      principal === undefined || op === undefined || shapes === undefined
        ? undefined
        : cloudTrailForm(request.trace.input ?? request.rawInput, op.shapes?.input, shapes)
    const response =
      error !== undefined || readOnly || op === undefined || shapes === undefined
        ? undefined
        : heldArn !== undefined
          ? { arn: heldArn }
          : cloudTrailForm(output, op.shapes?.output, shapes)
    const identity = this.identity(principal, scope?.[1], output)
    const accountId = principal?.accountId ?? this.options.defaultAccountId
    const keyArn = service?.id === 'kms' ? kmsKeyArn(request.trace.target, output) : undefined
    const resourcesOfRecord: RecordResource[] | undefined =
      keyArn === undefined
        ? undefined
        : [{ accountId: accountOf(keyArn), type: 'AWS::KMS::Key', ARN: keyArn }]
    const record: CloudTrailRecord = {
      eventVersion: '1.11',
      userIdentity: identity,
      eventTime: eventTime(this.deps.clock.now()),
      eventSource: `${service?.signingName ?? scope?.[3] ?? 'unknown'}.amazonaws.com`,
      eventName: request.operationName ?? 'Unknown',
      awsRegion: request.region ?? scope?.[2] ?? this.options.defaultRegion,
      sourceIPAddress: request.sourceIp,
      userAgent: truncate(request.userAgent ?? ''),
      ...(error !== undefined && { errorCode: error.code, errorMessage: truncate(error.message) }),
      requestParameters: nonEmpty(bounded(parameters)),
      responseElements: nonEmpty(bounded(response)),
      requestID: request.requestId,
      eventID: (request.eventId ??= this.eventId()),
      readOnly,
      ...(resourcesOfRecord !== undefined && { resources: resourcesOfRecord }),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: 'Management',
    }
    const resources: LookupResource[] = []
    // What the response names wins: a created resource's ARN is only known once it exists.
    const add = (arn: string | undefined) => {
      const type = arn === undefined ? undefined : resourceTypeOf(arn)
      if (type !== undefined && arn !== undefined && !resources.some((r) => r.type === type))
        resources.push({ type, name: arn })
    }
    add(arnOf(output))
    add(keyArn)
    add(request.trace.target?.resource)
    return { record, resources }
  }

  private identity(
    principal: Principal | undefined,
    claimedKey: string | undefined,
    output: unknown,
  ): UserIdentity {
    if (principal === undefined)
      return {
        type: 'Unknown',
        principalId: '',
        ...(claimedKey !== undefined && { accessKeyId: claimedKey }),
      }
    if (principal.arn !== 'anonymous') return identityOf(principal)
    // AssumeRoleWithWebIdentity: the caller is whoever the token names (known once it was accepted).
    const web = output as
      { SubjectFromWebIdentityToken?: string; Provider?: string; Audience?: string } | undefined
    if (web?.SubjectFromWebIdentityToken === undefined) return { type: 'Unknown', principalId: '' }
    return {
      type: 'WebIdentityUser',
      principalId: `${web.Provider ?? ''}:${web.Audience ?? ''}:${web.SubjectFromWebIdentityToken}`,
      userName: web.SubjectFromWebIdentityToken,
      ...(web.Provider !== undefined && { identityProvider: web.Provider }),
    }
  }
}

const KEY_ARN = /^arn:[^:]+:kms:[^:]*:\d{12}:key\//

/** The KMS key a KMS request acted on: what was authorized, else what the response names (CreateKey). */
function kmsKeyArn(target: AuthorizationTarget | undefined, output: unknown): string | undefined {
  if (target !== undefined && KEY_ARN.test(target.resource)) return target.resource
  const out = output as { KeyMetadata?: { Arn?: unknown }; KeyId?: unknown } | undefined
  for (const candidate of [out?.KeyMetadata?.Arn, out?.KeyId]) {
    if (typeof candidate === 'string' && KEY_ARN.test(candidate)) return candidate
  }
  return undefined
}

/** The ARN a response names at its top level (`ARN`, `Arn`), for resources created by the call. */
function arnOf(output: unknown): string | undefined {
  const out = output as { ARN?: unknown; Arn?: unknown } | undefined
  const arn = out?.ARN ?? out?.Arn
  return typeof arn === 'string' ? arn : undefined
}

/** The resource the request was authorized on, when it is one (not `*`). */
function targetArn(request: AuditedRequest): string | undefined {
  const resource = request.trace.target?.resource
  return resource !== undefined && resource.startsWith('arn:') ? resource : undefined
}

/** The member order of AWS's records (the chain hashes the JSON text, so it must be stable). */
function reordered(record: CloudTrailRecord): CloudTrailRecord {
  const { errorCode, errorMessage, requestParameters, responseElements, ...rest } = record
  const { requestID, eventID, readOnly, resources, eventType, managementEvent } = rest
  const { recipientAccountId, eventCategory, additionalEventData } = rest
  return {
    eventVersion: rest.eventVersion,
    userIdentity: rest.userIdentity,
    eventTime: rest.eventTime,
    eventSource: rest.eventSource,
    eventName: rest.eventName,
    awsRegion: rest.awsRegion,
    sourceIPAddress: rest.sourceIPAddress,
    userAgent: rest.userAgent,
    ...(errorCode !== undefined && { errorCode }),
    ...(errorMessage !== undefined && { errorMessage }),
    requestParameters,
    responseElements,
    ...(additionalEventData !== undefined && { additionalEventData }),
    requestID,
    eventID,
    readOnly,
    ...(resources !== undefined && { resources }),
    eventType,
    managementEvent,
    recipientAccountId,
    eventCategory,
  }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? ''
}

function nonEmpty(value: Readonly<Record<string, unknown>> | null): Readonly<Record<string, unknown>> | null {
  return value === null || Object.keys(value).length === 0 ? null : value
}
