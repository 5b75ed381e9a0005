/**
 * The parameters (and the secret behind a `/aws/reference/secretsmanager/` name) the SSM fuzzer aims
 * at: several versions with labels and tags, a SecureString, a single-level name without its slash, an
 * Advanced parameter with an AllowedPattern, a version carrying the 10-label maximum. The fuzzer may
 * delete or change them; `ensureFixtures` recreates the missing ones before every operation's run.
 */
import { prepare, send, type RawResponse, type Target } from '../../../support/signed-http.js'

export async function ssmRequest(target: Target, op: string, body: unknown): Promise<RawResponse> {
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
  return send(
    target.endpoint,
    await prepare(target, { target: `AmazonSSM.${op}`, body: payload, service: 'ssm' }),
  )
}

async function ok(target: Target, op: string, body: Record<string, unknown>, service = 'ssm'): Promise<void> {
  const res =
    service === 'ssm'
      ? await ssmRequest(target, op, body)
      : await send(
          target.endpoint,
          await prepare(target, { target: `secretsmanager.${op}`, body: JSON.stringify(body) }),
        )
  if (res.status !== 200) throw new Error(`fixture ${op} ${JSON.stringify(body)}: ${res.status} ${res.text}`)
}

interface Fixture {
  readonly name: string
  readonly puts: readonly Record<string, unknown>[]
  readonly labels?: readonly [number, readonly string[]][]
}

const TEN_LABELS = Array.from({ length: 10 }, (_, i) => `full${i}`)

export const FIXTURES: readonly Fixture[] = [
  {
    name: '/fz/a/p1',
    puts: [
      { Value: 'one', Type: 'String', Tags: [{ Key: 'env', Value: 'prod' }] },
      { Value: 'two', Overwrite: true },
      { Value: 'three', Overwrite: true },
    ],
    labels: [
      [1, ['prod']],
      [2, ['stable']],
    ],
  },
  { name: '/fz/a/b/secure', puts: [{ Value: 's3cret', Type: 'SecureString', Description: 'secure' }] },
  { name: 'fz-root', puts: [{ Value: 'a,b,c', Type: 'StringList' }] },
  {
    name: '/fz/adv',
    puts: [{ Value: 'abc123', Type: 'String', Tier: 'Advanced', AllowedPattern: '^[a-z0-9]+$' }],
  },
  { name: '/fz/full', puts: [{ Value: 'f', Type: 'String' }], labels: [[1, TEN_LABELS]] },
]

export const SECRET_NAME = 'fz-secret'

/** Names PutParameter may create: free until the fuzzer creates them. */
export const NEW_NAMES = ['/fz/new/1', 'fz-new-2', '/fz/a/new-3', '/fz/new/deep/er/4', 'fz.new_5']

/** Recreates missing fixtures (and the secret), so every run starts from parameters worth aiming at. */
export async function ensureFixtures(target: Target): Promise<void> {
  for (const fixture of FIXTURES) {
    const found = await ssmRequest(target, 'GetParameter', { Name: fixture.name })
    if (found.status === 200) continue
    for (const put of fixture.puts) await ok(target, 'PutParameter', { Name: fixture.name, ...put })
    for (const [version, labels] of fixture.labels ?? []) {
      await ok(target, 'LabelParameterVersion', {
        Name: fixture.name,
        ParameterVersion: version,
        Labels: labels,
      })
    }
  }
  const secret = await send(
    target.endpoint,
    await prepare(target, {
      target: 'secretsmanager.DescribeSecret',
      body: JSON.stringify({ SecretId: SECRET_NAME }),
    }),
  )
  if (secret.status !== 200) {
    await ok(
      target,
      'CreateSecret',
      { Name: SECRET_NAME, SecretString: '{"k":"v"}', ClientRequestToken: 'f'.repeat(32) },
      'sm',
    )
  }
}
