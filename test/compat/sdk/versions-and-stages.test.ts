/** Versions and staging labels: PutSecretValue, UpdateSecretVersionStage, ListSecretVersionIds (spec §3.3). */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretVersionsListEntry,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, token, uniqueName, useServer } from './support.js'

const sorted = (labels: readonly string[] | undefined) => [...(labels ?? [])].sort()

describe('versions and staging labels', () => {
  const t = useServer()

  /** version id → sorted labels, as DescribeSecret shows them (labelled versions only). */
  async function stages(name: string): Promise<Record<string, string[]>> {
    const { VersionIdsToStages } = await t.client.send(new DescribeSecretCommand({ SecretId: name }))
    return Object.fromEntries(
      Object.entries(VersionIdsToStages ?? {}).map(([id, labels]) => [id, sorted(labels)]),
    )
  }

  async function create(prefix: string) {
    const name = uniqueName(prefix)
    const v1 = token()
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1', ClientRequestToken: v1 }))
    return { name, v1 }
  }

  const put = (name: string, value: string, versionStages?: string[], versionId = token()) =>
    t.client.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: value,
        ClientRequestToken: versionId,
        ...(versionStages !== undefined && { VersionStages: versionStages }),
      }),
    )

  it('PutSecretValue without VersionStages: AWSCURRENT moves, AWSPREVIOUS follows, the older one is deprecated', async () => {
    const { name, v1 } = await create('put-default')
    const second = await put(name, 'v2')
    expect(second.VersionStages).toEqual(['AWSCURRENT'])
    expect(second.Name).toBe(name)
    const v2 = second.VersionId ?? ''
    expect(await stages(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] })
    const third = await put(name, 'v3')
    const v3 = third.VersionId ?? ''
    expect(await stages(name)).toEqual({ [v2]: ['AWSPREVIOUS'], [v3]: ['AWSCURRENT'] })
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v3')
    // The deprecated version still holds its value, readable by id.
    const old = await t.client.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1 }))
    expect(old.SecretString).toBe('v1')
  })

  it('PutSecretValue with AWSPENDING leaves AWSCURRENT where it is', async () => {
    const { name, v1 } = await create('put-pending')
    const pending = await put(name, 'next', ['AWSPENDING'])
    expect(pending.VersionStages).toEqual(['AWSPENDING'])
    expect(await stages(name)).toEqual({ [v1]: ['AWSCURRENT'], [pending.VersionId ?? '']: ['AWSPENDING'] })
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v1')
    const pendingRead = await t.client.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPENDING' }),
    )
    expect(pendingRead.SecretString).toBe('next')
    // A second AWSPENDING takes the label; the first pending version is left without labels.
    const again = await put(name, 'next2', ['AWSPENDING'])
    expect(await stages(name)).toEqual({ [v1]: ['AWSCURRENT'], [again.VersionId ?? '']: ['AWSPENDING'] })
  })

  it('PutSecretValue with custom labels moves only the listed ones', async () => {
    const { name, v1 } = await create('put-custom')
    const a = await put(name, 'a', ['one', 'two', 'three'])
    const b = await put(name, 'b', ['one', 'two', 'four'])
    expect(sorted(b.VersionStages)).toEqual(['four', 'one', 'two'])
    expect(await stages(name)).toEqual({
      [v1]: ['AWSCURRENT'],
      [a.VersionId ?? '']: ['three'],
      [b.VersionId ?? '']: ['four', 'one', 'two'],
    })
  })

  it('PutSecretValue with AWSCURRENT listed shifts AWSPREVIOUS too', async () => {
    const { name, v1 } = await create('put-current')
    const b = await put(name, 'b', ['AWSCURRENT', 'blue'])
    expect(sorted(b.VersionStages)).toEqual(['AWSCURRENT', 'blue'])
    expect(await stages(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [b.VersionId ?? '']: ['AWSCURRENT', 'blue'] })
  })

  it('concurrent PutSecretValue calls all land, leaving one AWSCURRENT and one AWSPREVIOUS', async () => {
    const { name } = await create('put-race')
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => put(name, `race-${i}`)))
    const all = await t.client.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
    )
    expect(all.Versions).toHaveLength(11)
    const labelled = await stages(name)
    expect(Object.values(labelled).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']])
    const current = await t.client.send(new GetSecretValueCommand({ SecretId: name }))
    const winner = results.find((r) => r.VersionId === current.VersionId)
    expect(winner).toBeDefined()
    expect(labelled[current.VersionId ?? '']).toEqual(['AWSCURRENT'])
  })

  it('PutSecretValue refuses a request without a value and one with both values', async () => {
    const { name } = await create('put-values')
    await expectAwsError(
      t.client.send(new PutSecretValueCommand({ SecretId: name })),
      'InvalidRequestException',
      'You must provide either SecretString or SecretBinary.',
    )
    await expectAwsError(
      t.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: 'x', SecretBinary: new Uint8Array([1]) }),
      ),
      'InvalidParameterException',
    )
    await expectAwsError(
      t.client.send(new PutSecretValueCommand({ SecretId: uniqueName('nope'), SecretString: 'x' })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    )
  })

  it('UpdateSecretVersionStage requires RemoveFromVersionId when the label is attached elsewhere', async () => {
    const { name, v1 } = await create('uvs-required')
    const v2 = (await put(name, 'v2', ['AWSPENDING'])).VersionId ?? ''
    await expectAwsError(
      t.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: v2,
        }),
      ),
      'InvalidParameterException',
      `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v1}, so you must explicitly reference that version in RemoveFromVersionId.`,
    )
    expect(await stages(name)).toEqual({ [v1]: ['AWSCURRENT'], [v2]: ['AWSPENDING'] })
  })

  it('moving AWSCURRENT shifts AWSPREVIOUS and keeps AWSPENDING on the new current version', async () => {
    const { name, v1 } = await create('uvs-cycle')
    const v2 = (await put(name, 'v2', ['AWSPENDING'])).VersionId ?? ''
    const moved = await t.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: v2,
        RemoveFromVersionId: v1,
      }),
    )
    expect(moved.Name).toBe(name)
    expect(moved.ARN).toMatch(/:secret:/)
    expect(await stages(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT', 'AWSPENDING'] })
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v2')
    // The next rotation's PutSecretValue takes AWSPENDING away from the current version.
    const v3 = (await put(name, 'v3', ['AWSPENDING'])).VersionId ?? ''
    expect(await stages(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'], [v3]: ['AWSPENDING'] })
  })

  it('moves and removes custom labels; AWSCURRENT back to the previous version (rollback)', async () => {
    const { name, v1 } = await create('uvs-custom')
    const v2 = (await put(name, 'v2')).VersionId ?? ''
    await t.client.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'blue', MoveToVersionId: v1 }),
    )
    expect(await stages(name)).toEqual({ [v1]: ['AWSPREVIOUS', 'blue'], [v2]: ['AWSCURRENT'] })
    await t.client.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'blue', RemoveFromVersionId: v1 }),
    )
    expect(await stages(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] })
    await t.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: v1,
        RemoveFromVersionId: v2,
      }),
    )
    expect(await stages(name)).toEqual({ [v1]: ['AWSCURRENT'], [v2]: ['AWSPREVIOUS'] })
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v1')
  })

  it('UpdateSecretVersionStage refuses unknown versions and a mismatched RemoveFromVersionId', async () => {
    const { name, v1 } = await create('uvs-errors')
    const v2 = (await put(name, 'v2', ['AWSPENDING'])).VersionId ?? ''
    await expectAwsError(
      t.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSPENDING',
          MoveToVersionId: token(),
        }),
      ),
      'InvalidParameterException',
    )
    await expectAwsError(
      t.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: v2,
          RemoveFromVersionId: v2,
        }),
      ),
      'InvalidParameterException',
    )
    expect(await stages(name)).toEqual({ [v1]: ['AWSCURRENT'], [v2]: ['AWSPENDING'] })
  })

  it('hides deprecated versions unless IncludeDeprecated, and shows them without VersionStages', async () => {
    const { name, v1 } = await create('lsv-deprecated')
    const v2 = (await put(name, 'v2')).VersionId ?? ''
    const v3 = (await put(name, 'v3')).VersionId ?? ''
    const visible = await t.client.send(new ListSecretVersionIdsCommand({ SecretId: name }))
    expect(visible.Name).toBe(name)
    expect(visible.ARN).toMatch(/:secret:/)
    expect(visible.Versions?.map((v) => v.VersionId).sort()).toEqual([v2, v3].sort())
    const all = await t.client.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
    )
    const byId = new Map((all.Versions ?? []).map((v) => [v.VersionId, v]))
    expect([...byId.keys()].sort()).toEqual([v1, v2, v3].sort())
    expect(byId.get(v1)).not.toHaveProperty('VersionStages')
    expect(byId.get(v2)?.VersionStages).toEqual(['AWSPREVIOUS'])
    expect(byId.get(v3)?.VersionStages).toEqual(['AWSCURRENT'])
    for (const version of all.Versions ?? []) {
      expect(version.KmsKeyIds).toEqual(['DefaultEncryptionKey'])
      expect(version.CreatedDate).toBeInstanceOf(Date)
    }
    // DescribeSecret hides it too.
    expect(Object.keys(await stages(name)).sort()).toEqual([v2, v3].sort())
  })

  it('paginates ListSecretVersionIds', async () => {
    const { name, v1 } = await create('lsv-pages')
    const ids = [v1]
    for (let i = 0; i < 4; i++) ids.push((await put(name, `v${i}`, [`label${i}`])).VersionId ?? '')
    const seen: SecretVersionsListEntry[] = []
    let nextToken: string | undefined
    let pages = 0
    do {
      const page = await t.client.send(
        new ListSecretVersionIdsCommand({
          SecretId: name,
          MaxResults: 2,
          ...(nextToken !== undefined && { NextToken: nextToken }),
        }),
      )
      expect(page.Versions?.length).toBeLessThanOrEqual(2)
      seen.push(...(page.Versions ?? []))
      nextToken = page.NextToken
      pages++
    } while (nextToken !== undefined && pages < 10)
    expect(pages).toBe(3)
    expect(seen.map((v) => v.VersionId).sort()).toEqual([...ids].sort())
  })

  it('limits a secret to 20 staging labels and a request to 1-20 labels', async () => {
    const { name } = await create('labels-limit')
    // AWSCURRENT + 19 custom labels = 20: allowed.
    const nineteen = Array.from({ length: 19 }, (_, i) => `l${i}`)
    await put(name, 'x', nineteen)
    await expectAwsError(put(name, 'y', ['one-too-many']), 'LimitExceededException')
    await expectAwsError(
      put(name, 'y', []),
      'ValidationException',
      "1 validation error detected: Value '[]' at 'versionStages' failed to satisfy constraint: Member must have length greater than or equal to 1",
    )
    const many = Array.from({ length: 21 }, (_, i) => `m${i}`)
    await expectAwsError(
      put(name, 'y', many),
      'ValidationException',
      /^1 validation error detected: .*'versionStages'.*less than or equal to 20$/,
    )
    expect(Object.values(await stages(name)).flat()).toHaveLength(20)
  })

  it('refuses new versions once more than 100 deprecated ones are younger than 24 hours', async () => {
    const { name } = await create('versions-limit')
    // Put k leaves k - 1 deprecated versions: 101 puts reach the 100 allowed.
    for (let i = 1; i <= 101; i++) await put(name, `v${i}`)
    await expectAwsError(put(name, 'v102'), 'LimitExceededException')
    const all = await t.client.send(
      new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }),
    )
    expect(all.Versions).toHaveLength(100)
    expect(all.NextToken).toEqual(expect.any(String))
    expect((await t.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('v101')
  })

  it('UpdateSecretVersionStage never leaves a secret without AWSCURRENT', async () => {
    const { name, v1 } = await create('uvs-keep-current')
    await expectAwsError(
      t.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          RemoveFromVersionId: v1,
        }),
      ),
      'InvalidParameterException',
    )
    expect(await stages(name)).toEqual({ [v1]: ['AWSCURRENT'] })
  })

  it('records LastAccessedDate on the read version, at UTC midnight', async () => {
    const { name, v1 } = await create('lsv-accessed')
    const before = await t.client.send(new ListSecretVersionIdsCommand({ SecretId: name }))
    expect(before.Versions?.[0]?.LastAccessedDate).toBeUndefined()
    await t.client.send(new GetSecretValueCommand({ SecretId: name }))
    const after = await t.client.send(new ListSecretVersionIdsCommand({ SecretId: name }))
    const version = after.Versions?.find((v) => v.VersionId === v1)
    const today = new Date()
    today.setUTCHours(0, 0, 0, 0)
    expect(version?.LastAccessedDate?.getTime()).toBe(today.getTime())
  })
})
