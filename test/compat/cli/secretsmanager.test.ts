import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { requireAwsCli, SecretsManagerCli, uniqueCliName } from './aws-cli.js'

/**
 * Every Secrets Manager command of the Debian AWS CLI v2 (2.9.x) against a real server. The CLI starts
 * slowly (~0.5-1 s per call), so commands are batched two at a time and the suite stays near 55 calls.
 */

const NOT_FOUND = "Secrets Manager can't find the specified secret."
const MARKED_FOR_DELETION =
  "You can't perform this operation on the secret because it was marked for deletion."
const INVALID_NAME =
  'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!'
const SLOW = 120_000

interface Created {
  ARN: string
  Name: string
  VersionId?: string
}
interface SecretValue {
  ARN: string
  Name: string
  VersionId: string
  SecretString?: string
  SecretBinary?: string
  VersionStages: string[]
  CreatedDate: string
}
interface Described {
  ARN: string
  Name: string
  Description?: string
  KmsKeyId?: string
  Tags?: { Key: string; Value: string }[]
  VersionIdsToStages?: Record<string, string[]>
  CreatedDate: string
  LastChangedDate: string
  LastAccessedDate?: string
  DeletedDate?: string
}
interface Listed {
  SecretList: (Described & { SecretVersionsToStages?: Record<string, string[]> })[]
  NextToken?: string
}
interface VersionList {
  ARN: string
  Name: string
  Versions: { VersionId: string; VersionStages?: string[]; CreatedDate: string; KmsKeyIds: string[] }[]
}

function isTimestamp(value: unknown): boolean {
  return typeof value === 'string' && value.includes('T') && Number.isFinite(Date.parse(value))
}

function stagesByVersion(list: VersionList): Record<string, string[] | undefined> {
  return Object.fromEntries(
    list.Versions.map((v) => [v.VersionId, v.VersionStages && [...v.VersionStages].sort()]),
  )
}

describe('AWS CLI v2: aws secretsmanager', () => {
  let server: TestServer
  let cli: SecretsManagerCli
  let scratch: string
  beforeAll(async () => {
    server = await startServer()
    cli = new SecretsManagerCli(server)
    scratch = mkdtempSync(join(tmpdir(), 'coffer-cli-files-'))
  })
  afterAll(async () => {
    cli?.cleanup()
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true })
    await server?.stop({ cleanup: true })
  })

  it(
    'create-secret with description and tags; get-secret-value; describe-secret',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('create')
      const created = await cli.json<Created>(
        'create-secret',
        '--name',
        name,
        '--secret-string',
        'hunter2',
        '--description',
        'database password',
        '--tags',
        'Key=team,Value=core',
        'Key=Env,Value=prod',
      )
      expect(created.ARN).toMatch(
        new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${name}-[A-Za-z0-9]{6}$`),
      )
      const [got, described] = await Promise.all([
        cli.json<SecretValue>('get-secret-value', '--secret-id', created.ARN),
        cli.json<Described>('describe-secret', '--secret-id', name),
      ])
      expect(got).toMatchObject({
        ARN: created.ARN,
        Name: name,
        VersionId: created.VersionId,
        SecretString: 'hunter2',
        VersionStages: ['AWSCURRENT'],
      })
      expect(got.SecretBinary).toBeUndefined()
      expect(isTimestamp(got.CreatedDate)).toBe(true)
      expect(described).toMatchObject({ ARN: created.ARN, Name: name, Description: 'database password' })
      expect(described.KmsKeyId).toBeUndefined()
      expect(described.VersionIdsToStages).toEqual({ [created.VersionId ?? '']: ['AWSCURRENT'] })
      expect([...(described.Tags ?? [])].sort((a, b) => a.Key.localeCompare(b.Key))).toEqual([
        { Key: 'Env', Value: 'prod' },
        { Key: 'team', Value: 'core' },
      ])
      expect(isTimestamp(described.CreatedDate) && isTimestamp(described.LastChangedDate)).toBe(true)
    },
    SLOW,
  )

  it(
    'create-secret --secret-binary fileb:// round-trips (base64 in the JSON output)',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('binary')
      const bytes = Buffer.from([0, 1, 2, 253, 254, 255, ...Buffer.from('binary secret')])
      const file = join(scratch, `${name}.bin`)
      writeFileSync(file, bytes)
      await cli.json('create-secret', '--name', name, '--secret-binary', `fileb://${file}`)
      const got = await cli.json<SecretValue>('get-secret-value', '--secret-id', name)
      expect(got.SecretString).toBeUndefined()
      expect(Buffer.from(got.SecretBinary ?? '', 'base64')).toEqual(bytes)
    },
    SLOW,
  )

  it(
    'put-secret-value, version stages, list-secret-version-ids and update-secret-version-stage',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('versions')
      const v1 =
        (await cli.json<Created>('create-secret', '--name', name, '--secret-string', 'v1')).VersionId ?? ''
      const put2 = await cli.json<Created & { VersionStages: string[] }>(
        'put-secret-value',
        '--secret-id',
        name,
        '--secret-string',
        'v2',
      )
      expect(put2.VersionStages).toEqual(['AWSCURRENT'])
      const v2 = put2.VersionId ?? ''
      const pendingToken = '11111111-2222-4333-8444-555555555555'
      const pending = await cli.json<Created & { VersionStages: string[] }>(
        'put-secret-value',
        '--secret-id',
        name,
        '--secret-string',
        'p',
        '--version-stages',
        'AWSPENDING',
        '--client-request-token',
        pendingToken,
      )
      expect(pending).toMatchObject({ VersionId: pendingToken, VersionStages: ['AWSPENDING'] })

      const [previous, pendingValue] = await Promise.all([
        cli.json<SecretValue>('get-secret-value', '--secret-id', name, '--version-stage', 'AWSPREVIOUS'),
        cli.json<SecretValue>('get-secret-value', '--secret-id', name, '--version-id', pendingToken),
      ])
      expect(previous).toMatchObject({ SecretString: 'v1', VersionId: v1, VersionStages: ['AWSPREVIOUS'] })
      expect(pendingValue).toMatchObject({ SecretString: 'p', VersionStages: ['AWSPENDING'] })

      // AWSCURRENT is on v2: moving it to the pending version needs --remove-from-version-id.
      const refused = await cli.error(
        'update-secret-version-stage',
        '--secret-id',
        name,
        '--version-stage',
        'AWSCURRENT',
        '--move-to-version-id',
        pendingToken,
      )
      expect(refused.code).toBe('InvalidParameterException')
      expect(refused.message).toBe(
        `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v2}, so you must explicitly reference that version in RemoveFromVersionId.`,
      )
      const moved = await cli.json<Created>(
        'update-secret-version-stage',
        '--secret-id',
        name,
        '--version-stage',
        'AWSCURRENT',
        '--move-to-version-id',
        pendingToken,
        '--remove-from-version-id',
        v2,
      )
      expect(moved.Name).toBe(name)

      const [current, versions] = await Promise.all([
        cli.json<SecretValue>('get-secret-value', '--secret-id', name),
        cli.json<VersionList>('list-secret-version-ids', '--secret-id', name, '--include-deprecated'),
      ])
      expect(current).toMatchObject({ SecretString: 'p', VersionId: pendingToken })
      expect(versions.Name).toBe(name)
      // v1 lost AWSPREVIOUS to v2 and is deprecated: listed without VersionStages.
      expect(stagesByVersion(versions)).toEqual({
        [v1]: undefined,
        [v2]: ['AWSPREVIOUS'],
        [pendingToken]: ['AWSCURRENT', 'AWSPENDING'],
      })
      for (const version of versions.Versions) {
        expect(version.KmsKeyIds).toEqual(['DefaultEncryptionKey'])
        expect(isTimestamp(version.CreatedDate)).toBe(true)
      }
    },
    SLOW,
  )

  it(
    'update-secret: metadata only (no VersionId), then a new value',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('update')
      const created = await cli.json<Created>('create-secret', '--name', name, '--secret-string', 'v1')
      const metadata = await cli.json<Created>(
        'update-secret',
        '--secret-id',
        name,
        '--description',
        'now described',
      )
      expect(metadata).toEqual({ ARN: created.ARN, Name: name })
      const valued = await cli.json<Created>('update-secret', '--secret-id', name, '--secret-string', 'v2')
      expect(valued.VersionId).toMatch(/^[0-9a-f-]{36}$/)
      const [got, described] = await Promise.all([
        cli.json<SecretValue>('get-secret-value', '--secret-id', name),
        cli.json<Described>('describe-secret', '--secret-id', name),
      ])
      expect(got).toMatchObject({ SecretString: 'v2', VersionId: valued.VersionId })
      expect(described.Description).toBe('now described')
      expect(described.VersionIdsToStages).toEqual({
        [created.VersionId ?? '']: ['AWSPREVIOUS'],
        [valued.VersionId ?? '']: ['AWSCURRENT'],
      })
    },
    SLOW,
  )

  it(
    'list-secrets: --filters (shorthand and JSON, negation, description, tags), --sort-order, pagination',
    async () => {
      requireAwsCli()
      const prefix = uniqueCliName('list')
      const create = (suffix: string, ...extra: string[]) =>
        cli.json('create-secret', '--name', `${prefix}${suffix}`, '--secret-string', 'v', ...extra)
      // Created one after the other so that the creation order (the default sort) is known.
      await create('/alpha/one', '--description', 'a secret', '--tags', 'Key=Env,Value=prod')
      await create('/alpha/two', '--description', 'asecret')
      await create('/beta/one', '--description', 'thesecret', '--tags', 'Key=env,Value=dev')
      const all = [`${prefix}/alpha/one`, `${prefix}/alpha/two`, `${prefix}/beta/one`]
      const namesOf = (listed: Listed) => listed.SecretList.map((entry) => entry.Name)
      const filters = (...more: { Key: string; Values: string[] }[]) =>
        JSON.stringify([{ Key: 'name', Values: [prefix] }, ...more])

      const [byShorthand, negated] = await Promise.all([
        cli.json<Listed>('list-secrets', '--filters', `Key=name,Values=${prefix}/alpha`),
        cli.json<Listed>('list-secrets', '--filters', filters({ Key: 'name', Values: [`!${prefix}/alpha`] })),
      ])
      expect(namesOf(byShorthand)).toEqual(all.slice(0, 2))
      expect(namesOf(negated)).toEqual([`${prefix}/beta/one`])
      const entry = byShorthand.SecretList[0]
      expect(entry?.Description).toBe('a secret')
      expect(entry?.Tags).toEqual([{ Key: 'Env', Value: 'prod' }])
      expect(Object.values(entry?.SecretVersionsToStages ?? {})).toEqual([['AWSCURRENT']])

      const [byDescription, byTagKey] = await Promise.all([
        cli.json<Listed>('list-secrets', '--filters', filters({ Key: 'description', Values: ['A'] })),
        cli.json<Listed>('list-secrets', '--filters', filters({ Key: 'tag-key', Values: ['Env'] })),
      ])
      // Word-based, case-insensitive: "A" is a prefix of a word in "a secret" and "asecret", not "thesecret".
      expect(namesOf(byDescription)).toEqual(all.slice(0, 2))
      expect(namesOf(byTagKey)).toEqual([`${prefix}/alpha/one`])

      const [firstPage, descending] = await Promise.all([
        cli.json<Listed>('list-secrets', '--filters', filters(), '--max-items', '2', '--page-size', '1'),
        cli.json<Listed>('list-secrets', '--filters', filters(), '--sort-order', 'desc', '--page-size', '2'),
      ])
      expect(namesOf(firstPage)).toEqual(all.slice(0, 2))
      expect(firstPage.NextToken).toEqual(expect.any(String))
      // --page-size without --max-items: the CLI follows NextToken to the end.
      expect(namesOf(descending)).toEqual([...all].reverse())
      expect(descending.NextToken).toBeUndefined()
      const rest = await cli.json<Listed>(
        'list-secrets',
        '--filters',
        filters(),
        '--max-items',
        '2',
        '--page-size',
        '1',
        '--starting-token',
        firstPage.NextToken ?? '',
      )
      expect(namesOf(rest)).toEqual(all.slice(2))
      expect(rest.NextToken).toBeUndefined()
    },
    SLOW,
  )

  it(
    'tag-resource and untag-resource',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('tags')
      const created = await cli.json<Created>(
        'create-secret',
        '--name',
        name,
        '--secret-string',
        'v',
        '--tags',
        'Key=a,Value=1',
      )
      expect(
        await cli.json(
          'tag-resource',
          '--secret-id',
          created.ARN,
          '--tags',
          'Key=a,Value=2',
          'Key=b,Value=3',
        ),
      ).toEqual({})
      const tagged = await cli.json<Described>('describe-secret', '--secret-id', name)
      expect([...(tagged.Tags ?? [])].sort((x, y) => x.Key.localeCompare(y.Key))).toEqual([
        { Key: 'a', Value: '2' },
        { Key: 'b', Value: '3' },
      ])
      expect(await cli.json('untag-resource', '--secret-id', name, '--tag-keys', 'a', 'b', 'absent')).toEqual(
        {},
      )
      // Tagged once, then all removed: `Tags: []`.
      expect((await cli.json<Described>('describe-secret', '--secret-id', name)).Tags).toEqual([])
    },
    SLOW,
  )

  it(
    'get-random-password',
    async () => {
      requireAwsCli()
      const [defaults, custom] = await Promise.all([
        cli.json<{ RandomPassword: string }>('get-random-password'),
        cli.json<{ RandomPassword: string }>(
          'get-random-password',
          '--password-length',
          '64',
          '--exclude-punctuation',
          '--exclude-characters',
          'abcXYZ0',
        ),
      ])
      expect(defaults.RandomPassword).toHaveLength(32)
      expect(defaults.RandomPassword).toMatch(/[A-Z]/)
      expect(defaults.RandomPassword).toMatch(/[a-z]/)
      expect(defaults.RandomPassword).toMatch(/[0-9]/)
      expect(defaults.RandomPassword).toMatch(/[^A-Za-z0-9]/)
      expect(custom.RandomPassword).toMatch(/^[A-Za-z0-9]{64}$/)
      expect(custom.RandomPassword).not.toMatch(/[abcXYZ0]/)
    },
    SLOW,
  )

  it(
    'put/get/validate/delete-resource-policy',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('policy')
      const created = await cli.json<Created>('create-secret', '--name', name, '--secret-string', 'v')
      const account = created.ARN.split(':')[4]
      const policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
          },
        ],
      })
      const [validated, put] = await Promise.all([
        cli.json<{ PolicyValidationPassed: boolean; ValidationErrors: unknown[] }>(
          'validate-resource-policy',
          '--resource-policy',
          policy,
        ),
        cli.json<Created>(
          'put-resource-policy',
          '--secret-id',
          name,
          '--resource-policy',
          policy,
          '--block-public-policy',
        ),
      ])
      expect(validated).toEqual({ PolicyValidationPassed: true, ValidationErrors: [] })
      expect(put).toEqual({ ARN: created.ARN, Name: name })
      const got = await cli.json<Created & { ResourcePolicy?: string }>(
        'get-resource-policy',
        '--secret-id',
        name,
      )
      expect(JSON.parse(got.ResourcePolicy ?? 'null')).toEqual(JSON.parse(policy))
      expect(await cli.json('delete-resource-policy', '--secret-id', name)).toEqual({
        ARN: created.ARN,
        Name: name,
      })
      // No policy: the member is omitted, not an error.
      expect(await cli.json('get-resource-policy', '--secret-id', name)).toEqual({
        ARN: created.ARN,
        Name: name,
      })
    },
    SLOW,
  )

  it(
    'delete-secret (window, force, force of a nonexistent name) and restore-secret',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('delete')
      const created = await cli.json<Created>('create-secret', '--name', name, '--secret-string', 'v')
      const deleted = await cli.json<Created & { DeletionDate: string }>(
        'delete-secret',
        '--secret-id',
        name,
        '--recovery-window-in-days',
        '7',
      )
      expect(deleted).toMatchObject({ ARN: created.ARN, Name: name })
      const expectedDeletion = Date.now() + 7 * 24 * 3600 * 1000
      expect(Math.abs(Date.parse(deleted.DeletionDate) - expectedDeletion)).toBeLessThan(120_000)

      const [refused, described] = await Promise.all([
        cli.error('get-secret-value', '--secret-id', name),
        cli.json<Described>('describe-secret', '--secret-id', name),
      ])
      expect(refused).toMatchObject({ code: 'InvalidRequestException', message: MARKED_FOR_DELETION })
      expect([254, 255]).toContain(refused.exit)
      expect(isTimestamp(described.DeletedDate)).toBe(true)

      expect(await cli.json('restore-secret', '--secret-id', name)).toEqual({ ARN: created.ARN, Name: name })
      expect((await cli.json<SecretValue>('get-secret-value', '--secret-id', name)).SecretString).toBe('v')

      const missing = uniqueCliName('never-existed')
      const [forced, forcedMissing] = await Promise.all([
        cli.json<Created & { DeletionDate: string }>(
          'delete-secret',
          '--secret-id',
          name,
          '--force-delete-without-recovery',
        ),
        cli.json<Created & { DeletionDate: string }>(
          'delete-secret',
          '--secret-id',
          missing,
          '--force-delete-without-recovery',
        ),
      ])
      expect(forced).toMatchObject({ ARN: created.ARN, Name: name })
      expect(isTimestamp(forced.DeletionDate)).toBe(true)
      expect(forcedMissing.Name).toBe(missing)
      expect(forcedMissing.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:/)
      expect(isTimestamp(forcedMissing.DeletionDate)).toBe(true)

      const gone = await cli.error('describe-secret', '--secret-id', name)
      expect(gone).toMatchObject({ code: 'ResourceNotFoundException', message: NOT_FOUND })
    },
    SLOW,
  )

  it(
    'rotate-secret with the random-password built-in, then cancel-rotate-secret',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('rotate')
      const created = await cli.json<Created>('create-secret', '--name', name, '--secret-string', 'v')
      const refused = await cli.error('rotate-secret', '--secret-id', name)
      expect(refused).toMatchObject({
        code: 'InvalidRequestException',
        message: 'No Lambda rotation function ARN is associated with this secret.',
      })
      const lambda = `arn:aws:lambda:us-east-1:${created.ARN.split(':')[4]}:function:coffer-random-password`
      const rotated = await cli.json<{ ARN: string; Name: string; VersionId: string }>(
        'rotate-secret',
        '--secret-id',
        name,
        '--rotation-lambda-arn',
        lambda,
        '--rotation-rules',
        'AutomaticallyAfterDays=7',
      )
      expect(rotated).toMatchObject({ ARN: created.ARN, Name: name })
      let described: Described & { RotationEnabled?: boolean; LastRotatedDate?: string }
      // Asynchronous: a built-in rotation takes well under a second; few CLI calls to see it done.
      for (let i = 0; ; i++) {
        await new Promise((r) => setTimeout(r, 1000))
        described = await cli.json('describe-secret', '--secret-id', name)
        if (described.VersionIdsToStages?.[rotated.VersionId]?.includes('AWSCURRENT')) break
        expect(i).toBeLessThan(20)
      }
      expect(described.RotationEnabled).toBe(true)
      expect(isTimestamp(described.LastRotatedDate)).toBe(true)
      const value = await cli.json<SecretValue>('get-secret-value', '--secret-id', name)
      expect(value.SecretString).toHaveLength(32)
      const cancelled = await cli.json<{ ARN: string }>('cancel-rotate-secret', '--secret-id', name)
      expect(cancelled.ARN).toBe(created.ARN)
    },
    SLOW,
  )

  it(
    'error cases: unknown secret, existing name, invalid name, missing value selector',
    async () => {
      requireAwsCli()
      const name = uniqueCliName('errors')
      await cli.json('create-secret', '--name', name, '--secret-string', 'v')
      const [notFound, exists] = await Promise.all([
        cli.error('get-secret-value', '--secret-id', uniqueCliName('missing')),
        cli.error('create-secret', '--name', name, '--secret-string', 'again'),
      ])
      expect(notFound).toMatchObject({ code: 'ResourceNotFoundException', message: NOT_FOUND })
      expect(notFound.stderr).toContain('(ResourceNotFoundException)')
      expect([254, 255]).toContain(notFound.exit)
      expect(exists).toMatchObject({
        code: 'ResourceExistsException',
        message: `The operation failed because the secret ${name} already exists.`,
      })
      const [invalid, noStage] = await Promise.all([
        cli.error('create-secret', '--name', 'bad name', '--secret-string', 'v'),
        cli.error('get-secret-value', '--secret-id', name, '--version-stage', 'NOPE'),
      ])
      expect(invalid).toMatchObject({ code: 'ValidationException', message: INVALID_NAME })
      expect(noStage).toMatchObject({
        code: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret value for staging label: NOPE",
      })
    },
    SLOW,
  )

  it(
    'batch-get-secret-value (when this CLI version has the command)',
    async (ctx) => {
      requireAwsCli()
      const probe = await cli.raw(['batch-get-secret-value', 'help'])
      if (probe.code !== 0 && /Invalid choice/.test(probe.stderr)) {
        // The Debian CLI 2.9 predates BatchGetSecretValue (2023): nothing to drive.
        ctx.skip()
        return
      }
      const prefix = uniqueCliName('batch')
      await Promise.all([
        cli.json('create-secret', '--name', `${prefix}-1`, '--secret-string', 'one'),
        cli.json('create-secret', '--name', `${prefix}-2`, '--secret-string', 'two'),
      ])
      const missing = uniqueCliName('missing')
      const batch = await cli.json<{
        SecretValues: SecretValue[]
        Errors: { SecretId: string; ErrorCode: string; Message: string }[]
      }>('batch-get-secret-value', '--secret-id-list', `${prefix}-1`, `${prefix}-2`, missing)
      expect(batch.SecretValues.map((v) => [v.Name, v.SecretString]).sort()).toEqual([
        [`${prefix}-1`, 'one'],
        [`${prefix}-2`, 'two'],
      ])
      expect(batch.Errors).toEqual([
        { SecretId: missing, ErrorCode: 'ResourceNotFoundException', Message: NOT_FOUND },
      ])
    },
    SLOW,
  )

  it('kept the number of CLI invocations reasonable', () => {
    console.info(`aws CLI invocations in this file: ${cli.invocations}`)
    expect(cli.invocations).toBeLessThanOrEqual(66)
  })
})
