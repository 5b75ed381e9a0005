import type { Logger } from 'pino'
import type { Random } from '../../lib/random.js'
import type { CompletedCall } from '../core/pipeline.js'
import { API_CALL, isoSeconds, type NewOutboxEvent, type OutboxAppender } from './outbox.js'

/** The Secrets Manager calls that change something and therefore raise an "AWS API Call via CloudTrail" event. */
const MUTATING = new Set([
  'CreateSecret',
  'PutSecretValue',
  'UpdateSecret',
  'DeleteSecret',
  'RestoreSecret',
  'UpdateSecretVersionStage',
  'TagResource',
  'UntagResource',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
])

/** Request members CloudTrail never records (reference §1: the model's sensitive shapes). */
const SENSITIVE = new Set(['SecretString', 'SecretBinary', 'RotationToken', 'RandomPassword'])

/**
 * The CloudTrail-shaped event of a successful mutating Secrets Manager call (reference §1, §3): who
 * (`userIdentity`), what (`eventName`, `requestParameters` in lowerCamelCase without secret values), on
 * which secret (`responseElements.arn`). Undefined for any other call.
 */
export function apiCallEvent(call: CompletedCall, random: Random): NewOutboxEvent | undefined {
  const { op, ctx } = call
  if (op.service !== 'secretsmanager' || !MUTATING.has(op.name)) return undefined
  const output = call.output as { ARN?: unknown } | undefined
  const arn = typeof output?.ARN === 'string' ? output.ARN : call.target.resource
  const principal = ctx.principal
  const eventId = random.uuid()
  const detail = {
    eventVersion: '1.11',
    userIdentity: {
      type: principal.type,
      principalId: principal.principalId,
      arn: principal.arn,
      accountId: principal.accountId,
      accessKeyId: principal.accessKeyId,
      ...(principal.userName !== undefined && { userName: principal.userName }),
    },
    eventTime: isoSeconds(ctx.now),
    eventSource: 'secretsmanager.amazonaws.com',
    eventName: op.name,
    awsRegion: ctx.region,
    sourceIPAddress: ctx.sourceIp,
    userAgent: (ctx.userAgent ?? '').slice(0, 1024),
    requestParameters: requestParameters(call.input),
    responseElements: { arn },
    requestID: ctx.requestId,
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: principal.accountId,
    eventCategory: 'Management',
  }
  return {
    eventId,
    time: ctx.now,
    accountId: principal.accountId,
    region: ctx.region,
    source: 'aws.secretsmanager',
    detailType: API_CALL,
    resources: [],
    detail,
  }
}

function requestParameters(input: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (input === null || typeof input !== 'object') return out
  for (const [key, value] of Object.entries(input)) {
    if (SENSITIVE.has(key) || value === undefined) continue
    out[key.charAt(0).toLowerCase() + key.slice(1)] = value
  }
  return out
}

/**
 * The pipeline's `onSuccess` observer that appends API-call events to the outbox. The append follows the
 * call's own commit; a failure to append is logged and does not fail the answered request.
 */
export function apiCallEventObserver(deps: {
  outbox: OutboxAppender
  random: Random
  logger: Logger
}): (call: CompletedCall) => void {
  return (call) => {
    const event = apiCallEvent(call, deps.random)
    if (event === undefined) return
    try {
      deps.outbox.append(event)
    } catch (error) {
      deps.logger.error({ err: error, requestId: call.ctx.requestId }, 'appending the API call event failed')
    }
  }
}
