/**
 * Security against a real server: SigV4 refusals with AWS's codes and texts (raw signed HTTP, tampered
 * after signing), envelope encryption at rest (a ciphertext moved to another row does not decrypt),
 * file permissions, no plaintext in the database files, no secret value in the logs even at trace
 * level, and dev mode's accept-anything behaviour with its warning.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openReadOnly, openReadWrite, SnapshotTracker, type Db } from '../support/db-snapshot.js'
import { startServer, type TestServer } from '../support/server.js'
import {
  amzDate,
  AUTH_MESSAGES,
  awsError,
  closeAgents,
  parseAmzDate,
  prepare,
  send,
  smCall,
  smRequest,
  type PreparedRequest,
  type RawResponse,
} from '../support/signed-http.js'

const MINUTE = 60_000
const DECRYPTION_FAILURE =
  "Secrets Manager can't decrypt the protected secret text using the provided KMS key."

afterAll(() => closeAgents())

function expectRefused(res: RawResponse, type: string, message?: string | RegExp): void {
  expect(res.status, res.text).toBe(400)
  expect(res.headers['x-amzn-errortype'], res.text).toBe(type)
  const error = awsError(res)
  expect(error?.type, res.text).toBe(type)
  if (typeof message === 'string') expect(error?.message).toBe(message)
  else if (message !== undefined) expect(error?.message).toMatch(message)
  // A refused request never carries a secret value.
  expect(res.text).not.toMatch(/SecretString|SecretBinary/)
}

function withHeader(req: PreparedRequest, name: string, value: string): PreparedRequest {
  return { ...req, headers: { ...req.headers, [name]: value } }
}

describe('SigV4 in normal mode', () => {
  let server: TestServer
  let db: Db
  let tracker: SnapshotTracker
  const getA = '{"SecretId":"sec-a"}'
  const getB = '{"SecretId":"sec-b"}'

  beforeAll(async () => {
    server = await startServer()
    await smCall(server, 'CreateSecret', {
      Name: 'sec-a',
      SecretString: 'alpha',
      ClientRequestToken: randomUUID(),
    })
    await smCall(server, 'CreateSecret', {
      Name: 'sec-b',
      SecretString: 'bravo',
      ClientRequestToken: randomUUID(),
    })
    db = openReadOnly(server.dataDir)
    tracker = new SnapshotTracker(db)
  })

  afterAll(async () => {
    // Every refused request in this block left the secrets as they were.
    expect(tracker.changes()).toBe('')
    db.close()
    await server.stop({ cleanup: true })
  })

  const getSecret = (body = getA, options = {}) =>
    prepare(server, { target: 'secretsmanager.GetSecretValue', body, ...options })

  it('a correctly signed request is served (control)', async () => {
    const res = await send(server.endpoint, await getSecret())
    expect(res.status, res.text).toBe(200)
    expect((res.json as { SecretString: string }).SecretString).toBe('alpha')
    tracker.accept()
  })

  it('the server does not announce dev mode', () => {
    expect(server.output()).not.toContain('DEV MODE')
  })

  it('body changed after signing → InvalidSignatureException', async () => {
    const signed = await getSecret(getA)
    const res = await send(server.endpoint, { ...signed, body: new TextEncoder().encode(getB) })
    expectRefused(res, 'InvalidSignatureException', AUTH_MESSAGES.signatureMismatch)
  })

  it('body changed while x-amz-content-sha256 is signed → InvalidSignatureException', async () => {
    const signed = await getSecret(getA, { applyChecksum: true })
    expect(signed.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/)
    const res = await send(server.endpoint, { ...signed, body: new TextEncoder().encode(getB) })
    expectRefused(
      res,
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    )
  })

  it('a signed header changed after signing → InvalidSignatureException, and nothing happens', async () => {
    const signed = await prepare(server, { target: 'secretsmanager.DescribeSecret', body: getA })
    const res = await send(server.endpoint, withHeader(signed, 'x-amz-target', 'secretsmanager.DeleteSecret'))
    expectRefused(res, 'InvalidSignatureException', AUTH_MESSAGES.signatureMismatch)
    const described = await smCall<{ DeletedDate?: number }>(server, 'DescribeSecret', { SecretId: 'sec-a' })
    expect(described.DeletedDate).toBeUndefined()
    const host = new URL(server.endpoint)
    const otherHost = await send(
      server.endpoint,
      withHeader(await getSecret(), 'host', `localhost:${host.port}`),
    )
    expectRefused(otherHost, 'InvalidSignatureException', AUTH_MESSAGES.signatureMismatch)
  })

  it('the signature changed → InvalidSignatureException', async () => {
    const signed = await getSecret()
    const auth = signed.headers['authorization'] as string
    const last = auth.slice(-1)
    const flipped = auth.slice(0, -1) + (last === '0' ? '1' : '0')
    const res = await send(server.endpoint, withHeader(signed, 'authorization', flipped))
    expectRefused(res, 'InvalidSignatureException', AUTH_MESSAGES.signatureMismatch)
  })

  it('signed with the wrong secret key → InvalidSignatureException', async () => {
    const res = await send(
      server.endpoint,
      await getSecret(getA, { secretAccessKey: `${server.credentials.secretAccessKey}x` }),
    )
    expectRefused(res, 'InvalidSignatureException', AUTH_MESSAGES.signatureMismatch)
  })

  it('an unknown access key → UnrecognizedClientException', async () => {
    const res = await send(server.endpoint, await getSecret(getA, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }))
    expectRefused(res, 'UnrecognizedClientException', AUTH_MESSAGES.unrecognizedClient)
  })

  it('a session token on a long-term key → UnrecognizedClientException', async () => {
    const res = await send(
      server.endpoint,
      await getSecret(getA, { headers: { 'x-amz-security-token': 'FwoGZXIvYXdzEXAMPLE' } }),
    )
    expectRefused(res, 'UnrecognizedClientException', AUTH_MESSAGES.unrecognizedClient)
  })

  it('signed 6 minutes ago → "Signature expired"', async () => {
    const signingDate = Date.now() - 6 * MINUTE
    const res = await send(server.endpoint, await getSecret(getA, { signingDate }))
    expectRefused(res, 'InvalidSignatureException')
    const m =
      /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 5 min\.\)$/.exec(
        awsError(res)?.message ?? '',
      )
    expect(m, awsError(res)?.message).not.toBeNull()
    const [, requestTime, limit, now] = m as unknown as [string, string, string, string]
    expect(requestTime).toBe(amzDate(signingDate))
    expect(parseAmzDate(now) - parseAmzDate(limit)).toBe(5 * MINUTE)
    expect(Math.abs(parseAmzDate(now) - Date.now())).toBeLessThan(10_000)
  })

  it('signed 6 minutes ahead → "Signature not yet current"', async () => {
    const signingDate = Date.now() + 6 * MINUTE
    const res = await send(server.endpoint, await getSecret(getA, { signingDate }))
    expectRefused(res, 'InvalidSignatureException')
    const m =
      /^Signature not yet current: (\d{8}T\d{6}Z) is still later than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) \+ 5 min\.\)$/.exec(
        awsError(res)?.message ?? '',
      )
    expect(m, awsError(res)?.message).not.toBeNull()
    const [, requestTime, limit, now] = m as unknown as [string, string, string, string]
    expect(requestTime).toBe(amzDate(signingDate))
    expect(parseAmzDate(limit) - parseAmzDate(now)).toBe(5 * MINUTE)
    expect(Math.abs(parseAmzDate(now) - Date.now())).toBeLessThan(10_000)
  })

  it('4 minutes of clock skew either way is accepted', async () => {
    for (const skew of [-4 * MINUTE, 4 * MINUTE]) {
      const res = await send(server.endpoint, await getSecret(getA, { signingDate: Date.now() + skew }))
      expect(res.status, res.text).toBe(200)
    }
    tracker.accept()
  })

  it('no Authorization at all → MissingAuthenticationTokenException', async () => {
    const res = await send(server.endpoint, await getSecret(getA, { unsigned: true }))
    expectRefused(res, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
  })

  it('a presigned request works until it expires, and its expiry cannot be extended', async () => {
    const fresh = await send(
      server.endpoint,
      await getSecret(getA, { presign: 300, signingDate: Date.now() - 30_000 }),
    )
    expect(fresh.status, fresh.text).toBe(200)
    expect((fresh.json as { SecretString: string }).SecretString).toBe('alpha')
    tracker.accept()

    const expired = await getSecret(getA, { presign: 60, signingDate: Date.now() - 2 * MINUTE })
    expect(expired.path).toContain('X-Amz-Expires=60')
    expect(expired.headers['authorization']).toBeUndefined()
    const res = await send(server.endpoint, expired)
    expectRefused(
      res,
      'InvalidSignatureException',
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 60 sec\.\)$/,
    )

    const extended = await send(server.endpoint, {
      ...expired,
      path: expired.path.replace('X-Amz-Expires=60', 'X-Amz-Expires=600'),
    })
    expectRefused(extended, 'InvalidSignatureException', AUTH_MESSAGES.signatureMismatch)
  })

  it('a credential scoped to another service → InvalidSignatureException', async () => {
    const res = await send(server.endpoint, await getSecret(getA, { service: 'kms' }))
    expectRefused(
      res,
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'secretsmanager'. ",
    )
  })

  it('a credential scoped to a region the server does not serve → InvalidSignatureException', async () => {
    const res = await send(server.endpoint, await getSecret(getA, { region: 'eu-west-1' }))
    expectRefused(
      res,
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    )
  })
})

// ---- at rest ----------------------------------------------------------------------------------

/** Reads every byte of the database files that exist (main file, WAL, shared memory). */
function databaseBytes(dataDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (const file of ['coffer.db', 'coffer.db-wal', 'coffer.db-shm']) {
    try {
      files.set(file, readFileSync(join(dataDir, file)))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  return files
}

function filesContaining(files: Map<string, Buffer>, needles: readonly Buffer[]): string[] {
  const found: string[] = []
  for (const [file, bytes] of files) {
    for (const needle of needles)
      if (bytes.includes(needle))
        found.push(`${file} contains ${JSON.stringify(needle.toString('utf8').slice(0, 40))}`)
  }
  return found
}

describe('at rest', () => {
  let server: TestServer
  const canary = `rest-canary-${randomUUID()}`
  const binaryCanary = Buffer.from(`binary-canary-${randomUUID()}`)
  const tokens = { c1: randomUUID(), c2: randomUUID(), d1: randomUUID(), d2: randomUUID() }

  beforeAll(async () => {
    server = await startServer()
    await smCall(server, 'CreateSecret', {
      Name: 'rest-a',
      SecretString: `${canary}-a`,
      ClientRequestToken: randomUUID(),
    })
    await smCall(server, 'CreateSecret', {
      Name: 'rest-b',
      SecretString: `${canary}-b`,
      ClientRequestToken: randomUUID(),
    })
    await smCall(server, 'CreateSecret', {
      Name: 'rest-c',
      SecretString: `${canary}-c1`,
      ClientRequestToken: tokens.c1,
    })
    await smCall(server, 'PutSecretValue', {
      SecretId: 'rest-c',
      SecretString: `${canary}-c2`,
      ClientRequestToken: tokens.c2,
    })
    await smCall(server, 'CreateSecret', {
      Name: 'rest-d',
      SecretBinary: binaryCanary.toString('base64'),
      ClientRequestToken: tokens.d1,
    })
    await smCall(server, 'PutSecretValue', {
      SecretId: 'rest-d',
      SecretString: `${canary}-d2`,
      ClientRequestToken: tokens.d2,
    })
    await smCall(server, 'GetSecretValue', { SecretId: 'rest-c' })
  })

  afterAll(async () => {
    await server.stop({ cleanup: true })
  })

  it('the root key and credentials files are readable by their owner only', () => {
    expect(statSync(join(server.dataDir, 'root.key')).mode & 0o777).toBe(0o600)
    expect(statSync(server.credentialsPath).mode & 0o777).toBe(0o600)
  })

  it('the database files hold no plaintext value, access key secret or root key', async () => {
    const rootKey = readFileSync(join(server.dataDir, 'root.key'), 'utf8').trim()
    const needles = [
      Buffer.from(canary),
      binaryCanary,
      Buffer.from(server.credentials.secretAccessKey),
      Buffer.from(rootKey),
      Buffer.from(rootKey, 'hex'),
    ]
    const running = databaseBytes(server.dataDir)
    expect(running.get('coffer.db')?.length).toBeGreaterThan(0)
    expect(
      running.get('coffer.db-wal')?.length,
      'the writes are in the WAL while the server runs',
    ).toBeGreaterThan(0)
    expect(filesContaining(running, needles)).toEqual([])
    // A clean stop checkpoints the WAL into the main file: still nothing.
    await server.stop()
    expect(filesContaining(databaseBytes(server.dataDir), needles)).toEqual([])
    server = await startServer({ dataDir: server.dataDir })
  })

  it('a ciphertext moved to another row does not decrypt: DecryptionFailure', async () => {
    await server.stop()
    const db = openReadWrite(server.dataDir)
    try {
      const version = (name: string, versionId?: string) =>
        db
          .prepare(
            `SELECT v.secret_id, v.version_id FROM secret_versions v JOIN secrets s ON s.id = v.secret_id
             WHERE s.name = ? AND (? IS NULL OR v.version_id = ?)`,
          )
          .get(name, versionId ?? null, versionId ?? null) as { secret_id: number; version_id: string }
      const copy = (
        from: { secret_id: number; version_id: string },
        to: { secret_id: number; version_id: string },
        columns: string[],
      ) => {
        const set = columns
          .map((c) => `${c} = (SELECT ${c} FROM secret_versions WHERE secret_id = @fs AND version_id = @fv)`)
          .join(', ')
        const changed = db
          .prepare(`UPDATE secret_versions SET ${set} WHERE secret_id = @ts AND version_id = @tv`)
          .run({ fs: from.secret_id, fv: from.version_id, ts: to.secret_id, tv: to.version_id }).changes
        expect(changed).toBe(1)
      }
      // Another secret's complete envelope (value and its data key).
      copy(version('rest-a'), version('rest-b'), ['ciphertext', 'encrypted_data_key', 'value_type'])
      // Another version's value ciphertext, within one secret.
      copy(version('rest-c', tokens.c1), version('rest-c', tokens.c2), ['ciphertext'])
      // Another version's complete envelope, within one secret.
      copy(version('rest-d', tokens.d1), version('rest-d', tokens.d2), [
        'ciphertext',
        'encrypted_data_key',
        'value_type',
      ])
      expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }])
    } finally {
      db.close()
    }
    server = await startServer({ dataDir: server.dataDir })

    const refused: Array<[string, Record<string, unknown>]> = [
      ['rest-b', { SecretId: 'rest-b' }],
      ['rest-c v2', { SecretId: 'rest-c', VersionId: tokens.c2 }],
      ['rest-c current', { SecretId: 'rest-c' }],
      ['rest-d v2', { SecretId: 'rest-d', VersionId: tokens.d2 }],
    ]
    for (const [what, body] of refused) {
      const res = await smRequest(server, 'GetSecretValue', body)
      expect(res.text, what).not.toContain(canary)
      expectRefused(res, 'DecryptionFailure', DECRYPTION_FAILURE)
    }
    // The rows that were not touched still decrypt.
    expect(
      (await smCall<{ SecretString: string }>(server, 'GetSecretValue', { SecretId: 'rest-a' })).SecretString,
    ).toBe(`${canary}-a`)
    expect(
      (
        await smCall<{ SecretString: string }>(server, 'GetSecretValue', {
          SecretId: 'rest-c',
          VersionId: tokens.c1,
        })
      ).SecretString,
    ).toBe(`${canary}-c1`)
    const d1 = await smCall<{ SecretBinary: string }>(server, 'GetSecretValue', {
      SecretId: 'rest-d',
      VersionId: tokens.d1,
    })
    expect(Buffer.from(d1.SecretBinary, 'base64')).toEqual(binaryCanary)
    // BatchGetSecretValue reports the failure per secret.
    const batch = await smCall<{
      SecretValues: { Name: string }[]
      Errors: { SecretId: string; ErrorCode: string }[]
    }>(server, 'BatchGetSecretValue', {
      SecretIdList: ['rest-a', 'rest-b'],
    })
    expect(batch.SecretValues.map((v) => v.Name)).toEqual(['rest-a'])
    expect(batch.Errors).toMatchObject([{ SecretId: 'rest-b', ErrorCode: 'DecryptionFailure' }])
  })
})

// ---- logs -------------------------------------------------------------------------------------

describe('logs at trace level never contain a secret value', () => {
  let server: TestServer
  const canary = `log-canary-${randomUUID()}`
  const base64Canary = Buffer.from(`${canary}-binary`).toString('base64')

  beforeAll(async () => {
    server = await startServer({ args: ['--log-level', 'trace'] })
  })

  afterAll(async () => {
    await server.stop({ cleanup: true })
  })

  it('through successes and every kind of failure', async () => {
    const token = randomUUID()
    const call = (op: string, body: unknown, options = {}) => smRequest(server, op, body, options)
    const statuses: string[] = []
    const expectStatus = async (promise: Promise<RawResponse>, status: number, type?: string) => {
      const res = await promise
      statuses.push(`${res.status} ${awsError(res)?.type ?? ''}`)
      expect(res.status, res.text).toBe(status)
      if (type !== undefined) expect(awsError(res)?.type, res.text).toBe(type)
      return res
    }
    // Successes.
    await expectStatus(
      call('CreateSecret', { Name: 'log-secret', SecretString: canary, ClientRequestToken: token }),
      200,
    )
    const read = await expectStatus(call('GetSecretValue', { SecretId: 'log-secret' }), 200)
    expect((read.json as { SecretString: string }).SecretString).toBe(canary)
    await expectStatus(
      call('PutSecretValue', {
        SecretId: 'log-secret',
        SecretString: `${canary}-put`,
        ClientRequestToken: randomUUID(),
      }),
      200,
    )
    await expectStatus(
      call('UpdateSecret', {
        SecretId: 'log-secret',
        SecretString: `${canary}-update`,
        ClientRequestToken: randomUUID(),
      }),
      200,
    )
    await expectStatus(
      call('PutSecretValue', {
        SecretId: 'log-secret',
        SecretBinary: base64Canary,
        ClientRequestToken: randomUUID(),
      }),
      200,
    )
    await expectStatus(call('BatchGetSecretValue', { SecretIdList: ['log-secret', 'log-missing'] }), 200)
    await expectStatus(
      call('CreateSecret', { Name: 'log-replay', SecretString: canary, ClientRequestToken: token }),
      200,
    )
    const password = await expectStatus(call('GetRandomPassword', { PasswordLength: 64 }), 200)
    const randomPassword = (password.json as { RandomPassword: string }).RandomPassword
    // Failures that carry the value.
    await expectStatus(
      call('CreateSecret', {
        Name: 'log-long',
        SecretString: `${canary}${'x'.repeat(65536)}`,
        ClientRequestToken: randomUUID(),
      }),
      400,
      'ValidationException',
    )
    await expectStatus(
      call('PutSecretValue', {
        SecretId: 'log-secret',
        SecretString: canary,
        SecretBinary: base64Canary,
        ClientRequestToken: randomUUID(),
      }),
      400,
      'InvalidParameterException',
    )
    await expectStatus(
      call('PutSecretValue', {
        SecretId: 'log-missing',
        SecretString: canary,
        ClientRequestToken: randomUUID(),
      }),
      400,
      'ResourceNotFoundException',
    )
    await expectStatus(
      call('PutSecretValue', {
        SecretId: 'log-secret',
        SecretString: `${canary}-other`,
        ClientRequestToken: token,
      }),
      400,
      'ResourceExistsException',
    )
    await expectStatus(
      call('CreateSecret', {
        Name: 'log-secret',
        SecretString: `${canary}-again`,
        ClientRequestToken: randomUUID(),
      }),
      400,
      'ResourceExistsException',
    )
    await expectStatus(
      call('CreateSecret', { Name: 'log-nok', SecretString: canary }),
      400,
      'InvalidRequestException',
    )
    await expectStatus(
      call('CreateSecret', { Name: 'bad name!', SecretString: canary, ClientRequestToken: randomUUID() }),
      400,
      'ValidationException',
    )
    await expectStatus(
      call('CreateSecret', { Name: 'log-type', SecretString: [canary], ClientRequestToken: randomUUID() }),
      400,
      'SerializationException',
    )
    await expectStatus(
      call('CreateSecret', { Name: 'log-b64', SecretBinary: `!${canary}`, ClientRequestToken: randomUUID() }),
      400,
      'SerializationException',
    )
    await expectStatus(
      call('CreateSecret', `{"Name":"log-json","SecretString":"${canary}`),
      400,
      'SerializationException',
    )
    await expectStatus(
      call('CreateSecret', `{"Name":"log-json","SecretString":"${canary}"}`, { secretAccessKey: 'wrong' }),
      400,
      'InvalidSignatureException',
    )
    await expectStatus(
      call('CreateSecret', `{"Name":"log-json","SecretString":"${canary}"}`, { unsigned: true }),
      400,
      'MissingAuthenticationTokenException',
    )
    await expectStatus(
      call('CreateSecret', `{"Name":"log-big","SecretString":"${canary}${' '.repeat(1024 * 1024)}"}`),
      413,
      'RequestEntityTooLargeException',
    )
    await expectStatus(call('DeleteSecret', { SecretId: 'log-secret', RecoveryWindowInDays: 7 }), 200)
    await expectStatus(
      call('PutSecretValue', {
        SecretId: 'log-secret',
        SecretString: canary,
        ClientRequestToken: randomUUID(),
      }),
      400,
      'InvalidRequestException',
    )
    // An unexpected error inside a write carrying the value (the NUL-token bug answers 500 today).
    const internal = await call('CreateSecret', {
      Name: 'log-internal',
      SecretString: canary,
      ClientRequestToken: '\u0000'.repeat(32),
    })
    statuses.push(`${internal.status} ${awsError(internal)?.type ?? ''}`)

    const output = server.output()
    // The run really logged at debug/trace level: one line per failed request.
    expect(
      output.split('\n').filter((line) => line.includes('"msg":"request failed"')).length,
    ).toBeGreaterThanOrEqual(12)
    const leaks = output
      .split('\n')
      .filter((line) => line.includes(canary) || line.includes(base64Canary) || line.includes(randomPassword))
    expect(leaks, `statuses: ${statuses.join(', ')}`).toEqual([])
    expect(output).not.toContain(server.credentials.secretAccessKey)
  })
})

// ---- dev mode ---------------------------------------------------------------------------------

describe('dev mode', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startServer({ args: ['--dev'] })
  })

  afterAll(async () => {
    await server.stop({ cleanup: true })
  })

  it('prints a loud warning', () => {
    expect(server.output()).toContain(
      '!!! DEV MODE: any credentials are accepted and every caller is an administrator. Never use it for real secrets. !!!',
    )
  })

  it('accepts any credentials, a bad signature and no authentication at all', async () => {
    const random = {
      accessKeyId: `AKIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
      secretAccessKey: randomUUID(),
    }
    const created = await smRequest(
      server,
      'CreateSecret',
      { Name: 'dev-secret', SecretString: 'dev', ClientRequestToken: randomUUID() },
      random,
    )
    expect(created.status, created.text).toBe(200)

    const signed = await prepare(server, {
      target: 'secretsmanager.GetSecretValue',
      body: '{"SecretId":"dev-secret"}',
    })
    const auth = signed.headers['authorization'] as string
    const badSignature = await send(
      server.endpoint,
      withHeader(signed, 'authorization', `${auth.slice(0, -8)}deadbeef`),
    )
    expect(badSignature.status, badSignature.text).toBe(200)
    expect((badSignature.json as { SecretString: string }).SecretString).toBe('dev')

    const expired = await smRequest(
      server,
      'GetSecretValue',
      { SecretId: 'dev-secret' },
      { signingDate: Date.now() - 60 * MINUTE },
    )
    expect(expired.status, expired.text).toBe(200)

    const anonymous = await smRequest(server, 'ListSecrets', {}, { unsigned: true })
    expect(anonymous.status, anonymous.text).toBe(200)
    expect((anonymous.json as { SecretList: { Name: string }[] }).SecretList.map((s) => s.Name)).toEqual([
      'dev-secret',
    ])
  })
})
