/** End to end: the real AWS SDK client and fetch() talking to a node HTTP server that verifies. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AwsError, UnrecognizedClientException } from '../../../lib/aws/errors.js'
import { checkCredentialScope, parseAuthorization, SigningKeyCache, verifySignature } from './index.js'
import { AKID, SECRET, TOKEN, wireQuery, type Query } from './test-signer.js'
import type { SigV4Request } from './types.js'

const cache = new SigningKeyCache(16)
let server: Server
let port = 0

async function toSigV4Request(req: IncomingMessage): Promise<SigV4Request> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  return {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: req.headersDistinct,
    body: Buffer.concat(chunks),
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const sreq = await toSigV4Request(req)
      try {
        const auth = parseAuthorization(sreq)
        const service = auth.service === 'sts' ? 'sts' : 'secretsmanager'
        checkCredentialScope(auth, service, ['us-east-1'])
        if (auth.accessKeyId !== AKID) throw new UnrecognizedClientException()
        verifySignature(sreq, auth, { now: Date.now(), skewMs: 300_000, secretAccessKey: SECRET }, cache)
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        res.end(
          JSON.stringify({
            Name: 'n',
            SecretString: auth.securityToken ?? 'no-token',
            ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:n-AbCdEf',
          }),
        )
      } catch (e) {
        const err = e as AwsError
        res.writeHead(err.status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': err.code,
        })
        res.end(JSON.stringify({ __type: err.code, Message: err.message }))
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

function client(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  return new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials,
    maxAttempts: 1,
  })
}

describe('real SDK over HTTP', () => {
  it('GetSecretValue verifies (long-term and session credentials)', async () => {
    const out = await client({ accessKeyId: AKID, secretAccessKey: SECRET }).send(
      new GetSecretValueCommand({ SecretId: 'prod/db ü' }),
    )
    expect(out.SecretString).toBe('no-token')
    const out2 = await client({ accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: TOKEN }).send(
      new GetSecretValueCommand({ SecretId: 'x' }),
    )
    expect(out2.SecretString).toBe(TOKEN)
  })

  it('a wrong secret is rejected with InvalidSignatureException', async () => {
    const err = await client({ accessKeyId: AKID, secretAccessKey: 'wrong' })
      .send(new GetSecretValueCommand({ SecretId: 'x' }))
      .then(() => new Error('expected an error'))
      .catch((e: unknown) => e as Error)
    expect(err.name).toBe('InvalidSignatureException')
  })

  it('a wrong region is rejected with the scope message', async () => {
    const c = new SecretsManagerClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
      maxAttempts: 1,
    })
    const err = await c
      .send(new GetSecretValueCommand({ SecretId: 'x' }))
      .then(() => new Error('expected an error'))
      .catch((e: unknown) => e as Error)
    expect(err.message).toBe("Credential should be scoped to a valid region, not 'eu-west-1'. ")
  })

  it('a presigned STS GetCallerIdentity URL verifies through fetch()', async () => {
    const signer = new SignatureV4({
      credentials: { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken: TOKEN },
      region: 'us-east-1',
      service: 'sts',
      sha256: Hash.bind(null, 'sha256'),
    })
    const request = new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: `127.0.0.1:${port}` },
    })
    const signed = await signer.presign(request, { expiresIn: 60 })
    const res = await fetch(`http://127.0.0.1:${port}/?${wireQuery(signed.query as Query)}`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { SecretString: string }).SecretString).toBe(TOKEN)
  })
})
