import type { IncomingMessage } from 'node:http'
import { RequestEntityTooLargeException } from '../../lib/aws/errors.js'

const EMPTY = Buffer.alloc(0)

/**
 * Reads a request body, refusing more than `limit` bytes: a declared Content-Length over the limit is
 * refused before reading anything, a body that grows past it is abandoned as soon as it does.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > limit)
    return Promise.reject(new RequestEntityTooLargeException(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.removeAllListeners('data')
        chunks.length = 0
        reject(new RequestEntityTooLargeException(limit))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () =>
      resolve(
        chunks.length === 1
          ? (chunks[0] as Buffer)
          : chunks.length === 0
            ? EMPTY
            : Buffer.concat(chunks, size),
      ),
    )
    req.on('error', reject)
  })
}
