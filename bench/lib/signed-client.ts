/**
 * A lean awsJson1_1 client: the SDK's own SigV4 signer (@smithy/signature-v4) over a keep-alive
 * node:http agent, with the headers the SDK sends. The full SDK client spends ~1 ms of CPU per call
 * in its middleware stack, which would make the benchmark measure the client, not the server.
 */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import type { Credentials } from './coffer.js'

export class AwsJsonError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`)
  }
}

export class SignedJsonClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 })
  private readonly signer: SignatureV4
  private readonly url: URL

  constructor(endpoint: string, credentials: Credentials) {
    this.url = new URL(endpoint)
    this.signer = new SignatureV4({
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      region: credentials.region,
      service: 'secretsmanager',
      sha256: Hash.bind(null, 'sha256'),
    })
  }

  /** Calls `secretsmanager.<operation>`; resolves with the parsed output, rejects with AwsJsonError. */
  async call(operation: string, input: object): Promise<unknown> {
    const body = JSON.stringify(input)
    const signed = await this.signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: this.url.protocol,
        hostname: this.url.hostname,
        port: Number(this.url.port),
        path: '/',
        headers: {
          host: this.url.host,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `secretsmanager.${operation}`,
          'content-length': String(Buffer.byteLength(body)),
          'amz-sdk-invocation-id': randomUUID(),
          'amz-sdk-request': 'attempt=1; max=1',
        },
        body,
      }),
    )
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method: 'POST',
          path: '/',
          headers: signed.headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', reject)
          res.on('end', () => {
            const output = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
              string,
              unknown
            >
            if (res.statusCode === 200) return resolve(output)
            reject(
              new AwsJsonError(
                res.statusCode ?? 0,
                String(output['__type']),
                String(output['message'] ?? output['Message']),
              ),
            )
          })
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  close(): void {
    this.agent.destroy()
  }
}
