import type { ServerResponse } from 'node:http'
import type { AwsError } from '../../lib/aws/errors.js'

/**
 * The awsJson1_1 wire format (spec §1): epoch-second timestamps with fractional milliseconds, base64
 * blobs, absent members omitted, errors as `{"__type", "Message"}` plus `x-amzn-ErrorType`.
 */
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1'

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key]
  if (raw instanceof Date) return raw.getTime() / 1000
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64')
  return value
}

export function encodeJsonBody(output: unknown): string {
  return JSON.stringify(output ?? {}, replacer)
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
