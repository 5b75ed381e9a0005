/**
 * The baseline: a bare node:http server that reads each request body and answers with fixed bytes and
 * headers (captured from Coffer's GetSecretValue answer). Same keep-alive settings as Coffer; with
 * `--workers N` a node:cluster of N workers, as `coffer server --workers N` runs.
 *
 *   node --import tsx bench/bare-server.ts --response response.json [--port 0] [--workers 1]
 *
 * response.json: {"headers": {"Content-Type": "...", ...}, "body": "<base64>"}. Prints
 * "listening on http://127.0.0.1:PORT" once every worker listens.
 */
import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'

export interface CannedResponse {
  readonly headers: Record<string, string>
  readonly body: string
}

const { values } = parseArgs({
  options: {
    response: { type: 'string' },
    port: { type: 'string', default: '0' },
    workers: { type: 'string', default: '1' },
  },
})
const workers = Number(values.workers)

if (workers > 1 && cluster.isPrimary) {
  let listening = 0
  cluster.on('listening', (_worker, address) => {
    if (++listening === workers) console.log(`listening on http://127.0.0.1:${address.port}`)
  })
  for (let i = 0; i < workers; i++) cluster.fork()
  process.once('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill()
    process.exit(0)
  })
} else {
  if (values.response === undefined) throw new Error('--response <file> is required')
  const canned = JSON.parse(readFileSync(values.response, 'utf8')) as CannedResponse
  const body = Buffer.from(canned.body, 'base64')
  const headers = { ...canned.headers, 'Content-Length': String(body.length) }
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, (req, res) => {
    req.on('data', () => {})
    req.on('end', () => {
      res.writeHead(200, headers)
      res.end(body)
    })
  })
  server.listen(Number(values.port), '127.0.0.1', () => {
    if (cluster.isPrimary)
      console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  })
  process.once('SIGTERM', () => process.exit(0))
}
