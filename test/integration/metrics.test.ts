/**
 * `GET /metrics`: Prometheus text with requests by service, operation and error, latency, cache
 * lookups and secret counts — from one process and aggregated over cluster workers — and no secret
 * value anywhere in it.
 */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../support/clients.js'
import { startServer, uniqueName, type TestServer } from '../support/server.js'

const CANARY = 'metrics-canary-3f9a61d2c8'

async function scrape(server: TestServer): Promise<{ text: string; type: string | null }> {
  const res = await fetch(`${server.endpoint}/metrics`)
  expect(res.status).toBe(200)
  return { text: await res.text(), type: res.headers.get('content-type') }
}

/** The value of one sample, by metric name and exact label set as Prometheus prints it. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `))
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

async function exercise(sm: SecretsManagerClient, reads: number): Promise<void> {
  const name = uniqueName('metrics')
  await sm.send(new CreateSecretCommand({ Name: name, SecretString: CANARY }))
  for (let i = 0; i < reads; i++) await sm.send(new GetSecretValueCommand({ SecretId: name }))
  await sm.send(new GetSecretValueCommand({ SecretId: `${name}-missing` })).catch(() => undefined)
}

describe('one process', () => {
  let server: TestServer
  let sm: SecretsManagerClient

  beforeAll(async () => {
    server = await startServer()
    sm = secretsManagerClient(server)
  })
  afterAll(async () => {
    sm.destroy()
    await server.stop({ cleanup: true })
  })

  it('counts requests by operation and error, and times them', async () => {
    await exercise(sm, 3)
    const bad = secretsManagerClient(server, { accessKeyId: 'AKIAUNKNOWNUNKNOWN00' })
    await bad.send(new GetSecretValueCommand({ SecretId: 'x' })).catch(() => undefined)
    bad.destroy()
    const { text, type } = await scrape(server)
    expect(type).toContain('text/plain')
    const requests = (operation: string, error = '') =>
      sample(
        text,
        'coffer_requests_total',
        `service="secretsmanager",operation="${operation}",error="${error}"`,
      )
    expect(requests('CreateSecret')).toBe(1)
    expect(requests('GetSecretValue')).toBe(3)
    expect(requests('GetSecretValue', 'ResourceNotFoundException')).toBe(1)
    expect(requests('GetSecretValue', 'UnrecognizedClientException')).toBe(1)
    expect(
      sample(
        text,
        'coffer_request_duration_seconds_count',
        'service="secretsmanager",operation="GetSecretValue"',
      ),
    ).toBe(5)
    expect(sample(text, 'coffer_secrets', 'state="active"')).toBe(1)
    expect(sample(text, 'coffer_secrets', 'state="scheduled_for_deletion"')).toBe(0)
    // The first read unwraps the data key, the next ones find it cached.
    expect(
      sample(text, 'coffer_cache_lookups_total', 'cache="data-keys",result="hit"'),
    ).toBeGreaterThanOrEqual(2)
    expect(sample(text, 'coffer_cache_lookups_total', 'cache="credentials",result="hit"')).toBeGreaterThan(0)
    expect(text).toContain('coffer_process_cpu_seconds_total')
    expect(text).toContain('# TYPE coffer_rotation_runs gauge')
    expect(text).not.toContain(CANARY)
  })
})

describe('two cluster workers', () => {
  let server: TestServer
  let sm: SecretsManagerClient

  beforeAll(async () => {
    server = await startServer({ args: ['--workers', '2'] })
    sm = secretsManagerClient(server)
  })
  afterAll(async () => {
    sm.destroy()
    await server.stop({ cleanup: true })
  })

  it('adds up every worker’s requests and reports database counts once', async () => {
    await exercise(sm, 20)
    // New connections spread over the workers; any worker answers the scrape with the whole cluster.
    for (let i = 0; i < 3; i++) {
      const { text } = await scrape(server)
      const reads = sample(
        text,
        'coffer_requests_total',
        'service="secretsmanager",operation="GetSecretValue",error=""',
      )
      expect(reads).toBe(20)
      expect(sample(text, 'coffer_secrets', 'state="active"')).toBe(1)
      expect(text).not.toContain(CANARY)
    }
  })
})
