import type { Principal } from '../services/iam/principal.js'

/**
 * A CloudTrail record as Coffer writes it (reference §1). Member order follows AWS's records; optional
 * members are absent rather than `undefined` so the JSON text (what the chain hashes) is stable.
 */
export interface CloudTrailRecord {
  readonly eventVersion: '1.11'
  readonly userIdentity: UserIdentity
  readonly eventTime: string
  readonly eventSource: string
  readonly eventName: string
  readonly awsRegion: string
  readonly sourceIPAddress: string
  readonly userAgent: string
  readonly errorCode?: string
  readonly errorMessage?: string
  readonly requestParameters: Readonly<Record<string, unknown>> | null
  readonly responseElements: Readonly<Record<string, unknown>> | null
  readonly additionalEventData?: Readonly<Record<string, unknown>>
  readonly requestID: string
  readonly eventID: string
  readonly readOnly: boolean
  readonly resources?: readonly RecordResource[]
  readonly eventType: 'AwsApiCall' | 'AwsServiceEvent'
  readonly managementEvent: true
  readonly recipientAccountId: string
  readonly eventCategory: 'Management'
}

export interface RecordResource {
  readonly accountId: string
  readonly type: string
  readonly ARN: string
}

export interface UserIdentity {
  readonly type?: 'IAMUser' | 'AssumedRole' | 'Root' | 'WebIdentityUser' | 'Unknown'
  readonly principalId?: string
  readonly arn?: string
  readonly accountId?: string
  readonly accessKeyId?: string
  readonly userName?: string
  readonly invokedBy?: string
  readonly identityProvider?: string
  readonly sessionContext?: {
    readonly sessionIssuer: {
      readonly type: 'Role'
      readonly principalId: string
      readonly arn: string
      readonly accountId: string
      readonly userName: string
    }
    readonly attributes: { readonly creationDate: string; readonly mfaAuthenticated: 'false' }
    readonly sourceIdentity?: string
  }
}

/** Field limits (reference §1): user agent and error message 1 KB, request/response 100 KB. */
const TEXT_LIMIT = 1024
const ELEMENTS_LIMIT = 100 * 1024

/** The last second formatted: every record of a busy second shares it. */
let lastSecond = Number.NaN
let lastText = ''

/** `YYYY-MM-DDThh:mm:ssZ`. */
export function eventTime(ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().slice(0, 19) + 'Z'
    lastSecond = second
  }
  return lastText
}

/** Epoch seconds of an `eventTime` text. */
export function eventSeconds(text: string): number {
  return text === lastText ? lastSecond : Math.floor(Date.parse(text) / 1000)
}

export function truncate(text: string, limit = TEXT_LIMIT): string {
  return text.length <= limit ? text : text.slice(0, limit)
}

/** Request parameters or response elements over 100 KB are not recorded (`null`). */
export function bounded(value: unknown): Readonly<Record<string, unknown>> | null {
  if (value === undefined || value === null || typeof value !== 'object') return null
  return JSON.stringify(value).length > ELEMENTS_LIMIT ? null : (value as Record<string, unknown>)
}

/** Who made the call, as CloudTrail's `userIdentity` shows an authenticated principal. */
export function identityOf(principal: Principal): UserIdentity {
  const common = {
    principalId: principal.principalId,
    arn: principal.arn,
    accountId: principal.accountId,
    accessKeyId: principal.accessKeyId,
  }
  switch (principal.type) {
    case 'IAMUser':
      return {
        type: 'IAMUser',
        ...common,
        ...(principal.userName !== undefined && { userName: principal.userName }),
      }
    case 'AssumedRole': {
      const roleArn = principal.principalArn
      const session = principal.session
      return {
        type: 'AssumedRole',
        ...common,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: principal.entity?.id ?? '',
            arn: roleArn,
            accountId: principal.accountId,
            userName: roleArn.slice(roleArn.lastIndexOf('/') + 1),
          },
          attributes: {
            creationDate: eventTime(session?.createdAt ?? 0),
            mfaAuthenticated: 'false',
          },
          ...(session?.sourceIdentity !== undefined && { sourceIdentity: session.sourceIdentity }),
        },
      }
    }
    case 'Root':
      return { type: 'Root', ...common }
  }
}

/** The `Username` LookupEvents shows and filters on: the user name, the role session name, or `root`. */
export function lookupUsername(identity: UserIdentity): string | undefined {
  switch (identity.type) {
    case 'IAMUser':
    case 'WebIdentityUser':
      return identity.userName
    case 'AssumedRole':
      return identity.arn?.slice(identity.arn.lastIndexOf('/') + 1)
    case 'Root':
      return 'root'
    default:
      return undefined
  }
}

/** A resource as LookupEvents lists (and filters) it. */
export interface LookupResource {
  readonly type: string
  readonly name: string
}

const RESOURCE_TYPES: readonly [RegExp, string][] = [
  [/^arn:[^:]+:secretsmanager:[^:]*:\d{12}:secret:/, 'AWS::SecretsManager::Secret'],
  [/^arn:[^:]+:kms:[^:]*:\d{12}:key\//, 'AWS::KMS::Key'],
  [/^arn:[^:]+:kms:[^:]*:\d{12}:alias\//, 'AWS::KMS::Alias'],
  [/^arn:[^:]+:ssm:[^:]*:\d{12}:parameter\//, 'AWS::SSM::Parameter'],
  [/^arn:[^:]+:iam::\d{12}:user\//, 'AWS::IAM::User'],
  [/^arn:[^:]+:iam::\d{12}:role\//, 'AWS::IAM::Role'],
  [/^arn:[^:]+:iam::\d{12}:policy\//, 'AWS::IAM::Policy'],
  [/^arn:[^:]+:iam::\d{12}:oidc-provider\//, 'AWS::IAM::OIDCProvider'],
]

/** The resource type of an ARN Coffer serves, or `undefined`. */
export function resourceTypeOf(arn: string): string | undefined {
  return RESOURCE_TYPES.find(([pattern]) => pattern.test(arn))?.[1]
}

/** A service event's fields (reference §2); see `ServiceEvent` in audit-log.ts for their meaning. */
export interface ServiceEventFields {
  readonly eventName: string
  readonly accountId: string
  readonly region: string
  /** Epoch ms. */
  readonly time: number
  /** Default `secretsmanager.amazonaws.com`. */
  readonly eventSource?: string | undefined
  readonly requestId: string
  readonly eventId: string
  readonly additionalEventData?: Readonly<Record<string, unknown>> | undefined
  readonly errorMessage?: string | undefined
}

/**
 * The record of a service event (reference §2) — the one builder, for the audit trail and for the
 * "AWS Service Event via CloudTrail" events: identity only `{accountId, invokedBy}`, the service's name
 * as source IP and user agent, no parameters or response, `errorMessage` (no code) on failure.
 */
export function serviceEventRecord(e: ServiceEventFields): CloudTrailRecord {
  const source = e.eventSource ?? 'secretsmanager.amazonaws.com'
  return {
    eventVersion: '1.11',
    userIdentity: { accountId: e.accountId, invokedBy: source },
    eventTime: eventTime(e.time),
    eventSource: source,
    eventName: e.eventName,
    awsRegion: e.region,
    sourceIPAddress: source,
    userAgent: source,
    ...(e.errorMessage !== undefined && { errorMessage: e.errorMessage }),
    requestParameters: null,
    responseElements: null,
    ...(e.additionalEventData !== undefined && { additionalEventData: e.additionalEventData }),
    requestID: e.requestId,
    eventID: e.eventId,
    readOnly: false,
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: e.accountId,
    eventCategory: 'Management',
  }
}

/** What LookupEvents lists for a service event: the secret of `additionalEventData.SecretId`. */
export function serviceEventResources(record: CloudTrailRecord): LookupResource[] {
  const secretId = record.additionalEventData?.['SecretId']
  const type = typeof secretId === 'string' ? resourceTypeOf(secretId) : undefined
  return type === undefined ? [] : [{ type, name: secretId as string }]
}
