import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import {
  AwsError,
  InternalFailure,
  RequestEntityTooLargeException,
  SerializationException,
  UnknownOperationException,
} from '../../lib/aws/errors.js'
import type { Clock } from '../../lib/clock.js'
import type { RequestContext } from '../core/context.js'
import type { JsonServiceDef, OperationDef, ServiceDef } from '../core/operation.js'
import type { Pipeline } from '../core/pipeline.js'
import type { AuditedRequest, Outcome, RequestAuditor } from '../core/request-audit.js'
import type { RequestObservation } from '../metrics/metrics.js'
import type { Principal } from '../services/iam/principal.js'
import type { Authenticator } from './authenticate.js'
import { sendJson, sendJsonError, writeJsonError } from './aws-json.js'
import { decodeQueryInput, encodeQueryResponse, sendXml, sendXmlError } from './aws-query.js'
import { readBody } from './body.js'
import { toQueryError } from './query-errors.js'

export interface HandlerDeps {
  readonly services: readonly ServiceDef[]
  readonly pipeline: Pipeline
  readonly authenticator: Authenticator
  readonly clock: Clock
  readonly logger: Logger
  readonly maxBodyBytes: number
  /** Runs before each request is authenticated: lets caches of stored data catch up with other processes. */
  readonly beforeRequest: () => void
  /** Runs after a signed request was authenticated (e.g. to note an access key's last use); must not throw. */
  readonly afterAuthentication?: (principal: Principal, service: string, region: string, now: number) => void
  /**
   * Writes every request's record before its answer is sent: to the audit trail (when enabled) and, for
   * a call that is not read-only, as its event; its participant joins the handler's transactions.
   */
  readonly audit: RequestAuditor
  /** Request metrics: each request observed once answered, and `GET /metrics` (Prometheus text). */
  readonly metrics?: {
    observeRequest(observation: RequestObservation): void
    text(): Promise<string>
    readonly contentType: string
  }
  /** Plain-HTTP GET endpoints by path (`/events`); they authenticate for themselves and throw AwsErrors. */
  readonly getRoutes?: ReadonlyMap<
    string,
    (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>
  >
}

interface Route {
  readonly service: ServiceDef
  readonly op: OperationDef | undefined
}

/**
 * The HTTP entry point: routes by `X-Amz-Target` (awsJson1_1) or the form field `Action` (awsQuery),
 * reads the body within its limit, authenticates, decodes the input and hands the request to the core
 * pipeline. It knows no business rules; every answer, success or error, leaves in the service's wire
 * format with a request id, and only after the request's audit record was written.
 */
export function createRequestHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const byPrefix = new Map<string, JsonServiceDef>()
  const byAction = new Map<string, Route>()
  for (const service of deps.services) {
    if (service.protocol === 'json') {
      for (const prefix of [service.targetPrefix, ...(service.targetPrefixAliases ?? [])])
        byPrefix.set(prefix, service)
    } else for (const op of service.operations.values()) byAction.set(op.name, { service, op })
  }
  const jsonRoute = (target: string): Route | undefined => {
    const dot = target.lastIndexOf('.')
    const service = byPrefix.get(target.slice(0, dot))
    return service === undefined ? undefined : { service, op: service.operations.get(target.slice(dot + 1)) }
  }

  return (req, res) => {
    const requestId = randomUUID()
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/health')) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}')
      return
    }
    const metrics = deps.metrics
    if (req.method === 'GET' && req.url === '/metrics' && metrics !== undefined) {
      metrics.text().then(
        (text) => res.writeHead(200, { 'Content-Type': metrics.contentType }).end(text),
        (error: unknown) => {
          deps.logger.error({ err: error }, 'metrics failed')
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n')
        },
      )
      return
    }
    const authorization = req.headers['authorization']
    const audited: AuditedRequest = {
      requestId,
      sourceIp: req.socket.remoteAddress ?? '',
      userAgent: req.headers['user-agent'],
      credential: typeof authorization === 'string' ? authorization : req.url,
      trace: {},
    }
    audited.trace.participant = deps.audit.participant(audited)
    const route =
      req.method === 'GET' ? deps.getRoutes?.get((req.url ?? '/').split('?')[0] ?? '/') : undefined
    if (route !== undefined) {
      deps.beforeRequest()
      route(req, res, requestId).catch((error: unknown) => fail(res, audited, error, undefined))
      return
    }
    const started = performance.now()
    handle(req, res, audited)
      .catch((error: unknown) => fail(res, audited, error, undefined))
      .then((errorCode) =>
        metrics?.observeRequest({
          service: audited.service?.signingName ?? 'unknown',
          operation: audited.operationName ?? 'unknown',
          ...(errorCode !== undefined && { errorCode }),
          seconds: (performance.now() - started) / 1000,
        }),
      )
      .catch((error: unknown) => deps.logger.error({ err: error }, 'request observation failed'))
  }

  /** Writes the audit record; the answer to send instead when it could not be written (failing closed). */
  async function recorded(audited: AuditedRequest, outcome: Outcome): Promise<AwsError | undefined> {
    return deps.audit.record(audited, outcome)
  }

  /** Answers the request; resolves to the error code sent, or undefined for a success. */
  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    audited: AuditedRequest,
  ): Promise<string | undefined> {
    const { requestId } = audited
    const target = req.headers['x-amz-target']
    if (typeof target === 'string') audited.operationName = target.slice(target.lastIndexOf('.') + 1)
    let body: Buffer
    try {
      body = await readBody(req, deps.maxBodyBytes)
    } catch (error) {
      if (error instanceof RequestEntityTooLargeException) {
        const answer = (await recorded(audited, { error })) ?? error
        // Answer at once; the response ends (and the connection may close) only once the rest is discarded.
        writeJsonError(res, requestId, answer)
        discardRest(req, deps.maxBodyBytes, () => res.end())
        return answer.code
      }
      throw error
    }
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const query = q === -1 ? '' : url.slice(q + 1)
    let found: Route | undefined
    let form: URLSearchParams | undefined
    let output: unknown
    try {
      if (typeof target === 'string') found = jsonRoute(target)
      else {
        form = formFields(req.method, query, body)
        audited.operationName = form.get('Action') ?? undefined
        found = byAction.get(form.get('Action') ?? '')
      }
      audited.service = found?.service
      if (found === undefined) throw new UnknownOperationException()
      deps.beforeRequest()
      const signed = {
        method: req.method ?? 'POST',
        path: q === -1 ? url : url.slice(0, q),
        query,
        headers: req.headers,
        body,
      }
      const anonymous = found.op?.access === 'anonymous'
      const { principal, region } = anonymous
        ? deps.authenticator.anonymous()
        : await deps.authenticator.authenticate(signed, found.service)
      audited.principal = principal
      audited.region = region
      const now = deps.clock.now()
      if (!anonymous) deps.afterAuthentication?.(principal, found.service.signingName, region, now)
      if (found.op === undefined) throw new UnknownOperationException()
      const { service, op } = found
      const ctx: RequestContext = {
        requestId,
        principal,
        region,
        now,
        sourceIp: audited.sourceIp,
        userAgent: audited.userAgent,
        authorize: (action, target) => deps.pipeline.authorize(ctx, action, target, audited.trace, op),
      }
      const input =
        service.protocol === 'json'
          ? parseJson(body)
          : decodeQueryInput(form ?? new URLSearchParams(), service.shapes, op.shapes?.input)
      audited.rawInput = input
      output = await deps.pipeline.execute(op, input, ctx, audited.trace)
    } catch (error) {
      return fail(res, audited, error, found)
    }
    const refused = await recorded(audited, { output })
    if (refused !== undefined) return send(res, requestId, refused, found)
    const { service, op } = found as Route & { op: OperationDef }
    if (service.protocol === 'json') {
      sendJson(res, requestId, output)
      return undefined
    }
    sendXml(
      res,
      requestId,
      encodeQueryResponse({
        operation: op.name,
        output,
        outputShape: op.shapes?.output,
        resultWrapper: op.shapes?.resultWrapper,
        shapes: service.shapes,
        xmlNamespace: service.xmlNamespace,
        requestId,
      }),
    )
    return undefined
  }

  /** Logs and records a failure, then answers it; resolves to the error code sent. */
  async function fail(
    res: ServerResponse,
    audited: AuditedRequest,
    error: unknown,
    found: Route | undefined,
  ): Promise<string> {
    const { requestId } = audited
    const operation = found?.op?.name
    let answer: AwsError
    if (error instanceof AwsError) {
      const log = error.fault === 'server' && error.status !== 501 ? deps.logger.error : deps.logger.debug
      log.call(deps.logger, { requestId, operation, code: error.code }, 'request failed')
      answer = error
    } else {
      // Never reflect an unexpected error's text: it could carry anything.
      deps.logger.error({ requestId, operation, err: error }, 'internal error')
      answer = new InternalFailure(found?.service.internalErrorCode)
    }
    answer = (await recorded(audited, { error: answer })) ?? answer
    return send(res, requestId, answer, found)
  }

  /** Sends an error in the service's wire format; returns the code sent. */
  function send(res: ServerResponse, requestId: string, answer: AwsError, found: Route | undefined): string {
    const query = found?.service.protocol === 'query' ? found.service : undefined
    const sent = query === undefined ? answer : toQueryError(answer)
    if (res.headersSent) return sent.code
    if (query !== undefined) sendXmlError(res, requestId, sent, query.xmlNamespace)
    else sendJsonError(res, requestId, sent)
    return sent.code
  }
}

/** awsQuery input: the form body of a POST, or the query string of a GET (presigned GetCallerIdentity). */
function formFields(method: string | undefined, query: string, body: Buffer): URLSearchParams {
  if (method === 'GET') return new URLSearchParams(query)
  return new URLSearchParams(decodeUtf8(body))
}

/**
 * After an oversized body was refused (the answer is already on the wire): read and throw away what
 * the client is still sending, up to a bound in bytes and time, then end the response. Closing a
 * socket with unread input resets it, and a client still uploading would see a broken pipe instead of
 * the 413; beyond the bound the connection is dropped.
 */
function discardRest(req: IncomingMessage, limit: number, answer: () => void): void {
  const cap = 16 * limit
  if (Number(req.headers['content-length'] ?? 0) > cap) {
    req.destroy()
    return
  }
  let discarded = 0
  const giveUp = setTimeout(() => req.destroy(), 10_000)
  giveUp.unref()
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length
    if (discarded > cap) req.destroy()
  })
  req.once('end', () => {
    clearTimeout(giveUp)
    answer()
  })
  req.once('close', () => clearTimeout(giveUp))
  req.resume()
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body)
  } catch {
    throw new SerializationException('The request body is not valid UTF-8.')
  }
}

/** The body as JSON; bytes that are not UTF-8 are refused rather than silently replaced. */
function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {}
  const text = decodeUtf8(body)
  try {
    return JSON.parse(text)
  } catch {
    throw new SerializationException('Unexpected character or malformed JSON in the request body.')
  }
}
