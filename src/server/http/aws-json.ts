import type { ServerResponse } from 'node:http'
import type { AwsError } from '../../lib/aws/errors.js'

/**
 * The awsJson1_1 wire format (spec §1): epoch-second timestamps with fractional milliseconds, base64
 * blobs, absent members omitted, errors as `{"__type", "Message"}` plus `x-amzn-ErrorType`.
 */
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1'

/**
 * A copy of `value` in wire form: Dates as epoch seconds, byte arrays as base64, undefined members
 * dropped. Converting first and stringifying plain data keeps JSON.stringify on V8's fast path, which
 * a replacer function would disable.
 */
function toWire(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Date) return value.getTime() / 1000
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64')
  if (Array.isArray(value)) return value.map(toWire)
  const out: Record<string, unknown> = {}
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined) out[key] = toWire(member)
  }
  return out
}

export function encodeJsonBody(output: unknown): string {
  return JSON.stringify(toWire(output ?? {}))
}

export function sendJson(res: ServerResponse, requestId: string, output: unknown): void {
  const body = encodeJsonBody(output)
  res.writeHead(200, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  })
  res.end(body)
}

export function sendJsonError(res: ServerResponse, requestId: string, error: AwsError): void {
  writeJsonError(res, requestId, error)
  res.end()
}

/** Writes the whole error answer (Content-Length bytes) without ending the response. */
export function writeJsonError(res: ServerResponse, requestId: string, error: AwsError): void {
  const body = JSON.stringify({ __type: error.code, [error.messageMember]: error.message, ...error.fields })
  res.writeHead(error.status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': error.code,
  })
  res.write(body)
}
