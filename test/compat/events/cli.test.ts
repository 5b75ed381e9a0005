/** `aws events` (AWS CLI v2) against a real server: put-rule, describe-rule, test-event-pattern. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'
import { cliEnvironment, requireAwsCli, runAws } from '../cli/aws-cli.js'

let server: TestServer
let home: string

beforeAll(async () => {
  requireAwsCli()
  server = await startServer()
  home = mkdtempSync(join(tmpdir(), 'coffer-cli-home-'))
})

afterAll(async () => {
  await server?.stop({ cleanup: true })
  if (home !== undefined) rmSync(home, { recursive: true, force: true })
})

/** The CLI's error line: code and message (the CLI may add "(reached max retries: 0)" in between). */
function cliError(stderr: string): { code: string; message: string } {
  const match = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)$/m.exec(
    stderr,
  )
  return { code: match?.[1] ?? '', message: (match?.[2] ?? '').trim() }
}

const aws = (...args: string[]) =>
  runAws(
    ['--endpoint-url', server.endpoint, '--output', 'json', 'events', ...args],
    cliEnvironment(server, home),
  )

describe('aws events', () => {
  it('put-rule creates a rule that describe-rule shows', async () => {
    const name = uniqueName('cli')
    const pattern = '{"source":["aws.secretsmanager"],"detail":{"eventName":[{"prefix":"Put"}]}}'
    const put = await aws('put-rule', '--name', name, '--event-pattern', pattern, '--state', 'DISABLED')
    expect(put.code, put.stderr).toBe(0)
    const arn = (JSON.parse(put.stdout) as { RuleArn: string }).RuleArn
    expect(arn).toMatch(new RegExp(`^arn:aws:events:${server.credentials.region}:\\d{12}:rule/${name}$`))
    const described = await aws('describe-rule', '--name', name)
    expect(described.code, described.stderr).toBe(0)
    expect(JSON.parse(described.stdout)).toMatchObject({
      Name: name,
      Arn: arn,
      EventPattern: pattern,
      State: 'DISABLED',
    })
  })

  it('put-rule with a bad pattern exits non-zero with InvalidEventPatternException', async () => {
    const result = await aws(
      'put-rule',
      '--name',
      uniqueName('cli'),
      '--event-pattern',
      '{"source":"aws.kms"}',
    )
    expect(result.code).not.toBe(0)
    expect(cliError(result.stderr)).toEqual({
      code: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array',
    })
  })

  it('test-event-pattern answers true and false', async () => {
    const event = JSON.stringify({
      id: '1',
      account: '123456789012',
      source: 'aws.secretsmanager',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      'detail-type': 'AWS Service Event via CloudTrail',
      resources: [],
      detail: { eventName: 'RotationSucceeded', additionalEventData: { SecretId: 'arn:x' } },
    })
    const yes = await aws(
      'test-event-pattern',
      '--event-pattern',
      '{"detail":{"additionalEventData":{"SecretId":[{"exists":true}]}}}',
      '--event',
      event,
    )
    expect(yes.code, yes.stderr).toBe(0)
    expect(JSON.parse(yes.stdout)).toEqual({ Result: true })
    const no = await aws(
      'test-event-pattern',
      '--event-pattern',
      '{"detail-type":["AWS API Call via CloudTrail"]}',
      '--event',
      event,
    )
    expect(JSON.parse(no.stdout)).toEqual({ Result: false })
    const invalid = await aws('test-event-pattern', '--event-pattern', '{}', '--event', '{"id":"1"}')
    expect(invalid.code).not.toBe(0)
    expect(cliError(invalid.stderr)).toEqual({
      code: 'ValidationException',
      message: 'Parameter Event is not valid.',
    })
  })
})
