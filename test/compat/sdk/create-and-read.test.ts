/** CreateSecret, GetSecretValue and DescribeSecret basics; SecretId forms (spec §3.1, §3.2, §3.5). */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, tick, token, uniqueName, useServer } from './support.js'

const INVALID_NAME =
  'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!'
const NOT_FOUND = "Secrets Manager can't find the specified secret."

/** One server for the whole file. */
const t = useServer()

describe('CreateSecret and GetSecretValue', () => {
  it('answers ARN, Name and the token as VersionId; the ARN embeds the name and a 6-char suffix', async () => {
    const name = `${uniqueName('create')}/path/_+=.@-x`
    const clientToken = token()
    const created = await t.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 's3cr3t', ClientRequestToken: clientToken }),
    )
    expect(created.Name).toBe(name)
    expect(created.VersionId).toBe(clientToken)
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    expect(created.ARN).toMatch(
      new RegExp(
        `^arn:aws:secretsmanager:${t.server.credentials.region}:\\d{12}:secret:${escaped}-[A-Za-z0-9]{6}$`,
      ),
    )
    const read = await t.client.send(new GetSecretValueCommand({ SecretId: name }))
    expect(read).toMatchObject({
      ARN: created.ARN,
      Name: name,
      VersionId: clientToken,
      SecretString: 's3cr3t',
      VersionStages: ['AWSCURRENT'],
    })
    expect(read.SecretBinary).toBeUndefined()
    expect(read.CreatedDate).toBeInstanceOf(Date)
    expect(Math.abs((read.CreatedDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000)
  })

  it('finds a secret by name, full ARN and partial ARN', async () => {
    const name = uniqueName('ids')
    const { ARN } = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    const arn = ARN ?? ''
    const partial = arn.slice(0, -7)
    expect(partial.endsWith(`:secret:${name}`)).toBe(true)
    for (const id of [name, arn, partial]) {
      const read = await t.client.send(new GetSecretValueCommand({ SecretId: id }))
      expect(read.ARN).toBe(arn)
      expect(read.SecretString).toBe('v')
    }
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: `${partial}-zzzzzz` })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
  })

  it('reads a partial ARN ending in -XXXXXX as complete: such a secret is not found by partial ARN', async () => {
    const base = `${uniqueName('quirk')}/_+=.@-Name`
    const quirky = `${base}-a1b2c3`
    const fine = [`${base}-a1b2`, `${base}-a1b2c3-`]
    const arns = new Map<string, string>()
    for (const name of [quirky, ...fine]) {
      const { ARN } = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: name }))
      arns.set(name, ARN ?? '')
    }
    const partialOf = (name: string) => (arns.get(name) ?? '').slice(0, -7)
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: partialOf(quirky) })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: quirky }))).SecretString).toBe(quirky)
    const full = await t.client.send(new GetSecretValueCommand({ SecretId: arns.get(quirky) }))
    expect(full.SecretString).toBe(quirky)
    for (const name of fine) {
      const read = await t.client.send(new GetSecretValueCommand({ SecretId: partialOf(name) }))
      expect(read.SecretString).toBe(name)
    }
  })

  it('gives a recreated secret a new ARN suffix', async () => {
    const name = uniqueName('recreate')
    const first = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'one' }))
    await t.client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }))
    const second = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'two' }))
    expect(second.ARN).not.toBe(first.ARN)
    expect(second.ARN?.slice(0, -6)).toBe(first.ARN?.slice(0, -6))
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: first.ARN })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('two')
  })

  it('round-trips SecretBinary byte for byte', async () => {
    const name = uniqueName('binary')
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + 3) % 256)
    await t.client.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }))
    const read = await t.client.send(new GetSecretValueCommand({ SecretId: name }))
    expect(read.SecretString).toBeUndefined()
    expect(Buffer.from(read.SecretBinary ?? new Uint8Array()).equals(Buffer.from(bytes))).toBe(true)
  })

  it('keeps unicode SecretString intact', async () => {
    const name = uniqueName('unicode')
    const value = '{"pw":"ünïcødé ✓ 🔑","nl":"a\\nb"}'
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: value }))
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe(value)
  })

  it('refuses invalid names with ValidationException, also as SecretId', async () => {
    for (const bad of ['Inv Name', 'bad!name', 'tab\tname', 'ünï']) {
      await expectAwsError(
        t.client.send(new CreateSecretCommand({ Name: bad, SecretString: 'v' })),
        'ValidationException',
        INVALID_NAME,
      )
    }
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: 'Inv Name' })),
      'ValidationException',
      INVALID_NAME,
    )
    await expectAwsError(
      t.client.send(new DescribeSecretCommand({ SecretId: 'Inv Name' })),
      'ValidationException',
      INVALID_NAME,
    )
  })

  it('does not find a secret through an ARN of another region or account', async () => {
    const name = uniqueName('foreign')
    const { ARN } = await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    const arn = ARN ?? ''
    const otherRegion = arn.replace(`:${t.server.credentials.region}:`, ':eu-central-1:')
    const otherAccount = arn.replace(/:\d{12}:/, ':000000000001:')
    for (const id of [otherRegion, otherRegion.slice(0, -7), arn.replace(':secret:', ':parameter:')]) {
      expect(id).not.toBe(arn)
      await expectAwsError(
        t.client.send(new GetSecretValueCommand({ SecretId: id })),
        'ResourceNotFoundException',
        NOT_FOUND,
      )
    }
    // Another account's secret needs that account's consent (a resource policy): whether it exists
    // is not revealed.
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: otherAccount })),
      'AccessDeniedException',
      `User: arn:aws:iam::${arn.split(':')[4]}:user/admin is not authorized to perform: secretsmanager:GetSecretValue on resource: ${otherAccount} because no resource-based policy allows the secretsmanager:GetSecretValue action`,
    )
  })

  it('enforces the model limits without echoing secret values', async () => {
    await expectAwsError(
      t.client.send(new CreateSecretCommand({ Name: 'n'.repeat(513), SecretString: 'v' })),
      'ValidationException',
      `1 validation error detected: Value '${'n'.repeat(513)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512`,
    )
    const huge = `SENSITIVE${'x'.repeat(65_536)}`
    const error = await expectAwsError(
      t.client.send(new CreateSecretCommand({ Name: uniqueName('huge'), SecretString: huge })),
      'ValidationException',
      "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
    )
    expect(error.message).not.toContain('SENSITIVE')
    await expectAwsError(
      t.client.send(new CreateSecretCommand({ Name: uniqueName('desc'), Description: 'd'.repeat(2049) })),
      'ValidationException',
      /^1 validation error detected: .*'description'.*less than or equal to 2048$/,
    )
    await expectAwsError(
      t.client.send(
        new CreateSecretCommand({
          Name: uniqueName('both'),
          SecretString: 'v',
          SecretBinary: new Uint8Array([1]),
        }),
      ),
      'InvalidParameterException',
    )
  })

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    const missing = uniqueName('missing')
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: missing })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
    await expectAwsError(
      t.client.send(new DescribeSecretCommand({ SecretId: missing })),
      'ResourceNotFoundException',
      NOT_FOUND,
    )
  })
})

describe('a secret created without a value', () => {
  it('has no version until the first PutSecretValue, which gets AWSCURRENT', async () => {
    const name = uniqueName('empty')
    const created = await t.client.send(new CreateSecretCommand({ Name: name, Description: 'no value yet' }))
    expect(created.VersionId).toBeUndefined()
    expect(created.Name).toBe(name)
    const described = await t.client.send(new DescribeSecretCommand({ SecretId: name }))
    expect(described.VersionIdsToStages).toBeUndefined()
    expect(described.Description).toBe('no value yet')
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: name })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    )
    const versionId = token()
    const put = await t.client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'first', ClientRequestToken: versionId }),
    )
    expect(put.VersionStages).toEqual(['AWSCURRENT'])
    expect((await t.client.send(new DescribeSecretCommand({ SecretId: name }))).VersionIdsToStages).toEqual({
      [versionId]: ['AWSCURRENT'],
    })
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('first')
  })

  it('gives AWSCURRENT to a first version put with other labels', async () => {
    const name = uniqueName('empty-pending')
    await t.client.send(new CreateSecretCommand({ Name: name }))
    const put = await t.client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'first', VersionStages: ['AWSPENDING'] }),
    )
    expect([...(put.VersionStages ?? [])].sort()).toEqual(['AWSCURRENT', 'AWSPENDING'])
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('first')
  })
})

describe('GetSecretValue selectors', () => {
  async function twoVersions() {
    const name = uniqueName('sel')
    const v1 = token()
    const v2 = token()
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'one', ClientRequestToken: v1 }))
    await tick(10)
    await t.client.send(
      new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: v2 }),
    )
    return { name, v1, v2 }
  }

  it('selects by VersionId, by VersionStage, or both when they agree', async () => {
    const { name, v1, v2 } = await twoVersions()
    const byId = await t.client.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1 }))
    expect(byId).toMatchObject({ VersionId: v1, SecretString: 'one', VersionStages: ['AWSPREVIOUS'] })
    const byStage = await t.client.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }),
    )
    expect(byStage).toMatchObject({ VersionId: v1, SecretString: 'one' })
    const current = await t.client.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSCURRENT' }),
    )
    expect(current).toMatchObject({ VersionId: v2, SecretString: 'two', VersionStages: ['AWSCURRENT'] })
    // CreatedDate is the version's creation time, not the secret's.
    expect(current.CreatedDate?.getTime()).toBeGreaterThan(byId.CreatedDate?.getTime() ?? Infinity)
    const both = await t.client.send(
      new GetSecretValueCommand({ SecretId: name, VersionId: v2, VersionStage: 'AWSCURRENT' }),
    )
    expect(both.SecretString).toBe('two')
  })

  it('answers AWS texts for a missing stage, a missing version and a stage/version mismatch', async () => {
    const { name, v1 } = await twoVersions()
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPENDING' })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    )
    const unknown = token()
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: name, VersionId: unknown })),
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${unknown}`,
    )
    await expectAwsError(
      t.client.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1, VersionStage: 'AWSCURRENT' })),
      'InvalidRequestException',
      'You provided a VersionStage that is not associated to the provided VersionId.',
    )
  })
})
