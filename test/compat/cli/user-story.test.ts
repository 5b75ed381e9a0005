import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { CliFailure, requireAwsCli, runAws } from './aws-cli.js'

/**
 * The README user story, verbatim: only AWS_SHARED_CREDENTIALS_FILE and --endpoint-url. No region
 * anywhere (no AWS_REGION, no config file, no --region): the server's credentials file carries it.
 */
describe('AWS CLI v2 user story', () => {
  let server: TestServer
  let home: string
  beforeAll(async () => {
    server = await startServer()
    home = mkdtempSync(join(tmpdir(), 'coffer-cli-story-'))
  })
  afterAll(async () => {
    await server?.stop({ cleanup: true })
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
  })

  it('AWS_SHARED_CREDENTIALS_FILE=<data>/credentials aws secretsmanager create-secret ... then get-secret-value', async () => {
    requireAwsCli()
    // A fresh user: empty HOME (no ~/.aws), nothing from the parent environment.
    const env = {
      PATH: '/usr/bin:/bin',
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: `${server.dataDir}/credentials`,
    }
    const value = '{"user":"a","password":"b"}'
    const createArgs = [
      'secretsmanager',
      'create-secret',
      '--endpoint-url',
      server.endpoint,
      '--name',
      'prod/db',
      '--secret-string',
      value,
    ]
    const created = await runAws(createArgs, env)
    if (created.code !== 0) throw new CliFailure(createArgs, created)
    const createdJson = JSON.parse(created.stdout) as { ARN: string; Name: string; VersionId: string }
    expect(createdJson.Name).toBe('prod/db')
    expect(createdJson.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:prod\/db-[A-Za-z0-9]{6}$/,
    )
    expect(createdJson.VersionId).toMatch(/^[0-9a-f-]{36}$/)

    const getArgs = [
      'secretsmanager',
      'get-secret-value',
      '--endpoint-url',
      server.endpoint,
      '--secret-id',
      'prod/db',
    ]
    const got = await runAws(getArgs, env)
    if (got.code !== 0) throw new CliFailure(getArgs, got)
    const gotJson = JSON.parse(got.stdout) as Record<string, unknown>
    expect(gotJson).toMatchObject({
      ARN: createdJson.ARN,
      Name: 'prod/db',
      VersionId: createdJson.VersionId,
      SecretString: value,
      VersionStages: ['AWSCURRENT'],
    })
    expect(JSON.parse(gotJson.SecretString as string)).toEqual({ user: 'a', password: 'b' })
    expect(Number.isFinite(Date.parse(gotJson.CreatedDate as string))).toBe(true)
  }, 60_000)
})
