/** BatchGetSecretValue: id lists, filters, per-secret errors, pagination (spec §3.9). */
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  type BatchGetSecretValueCommandInput,
  type SecretValueEntry,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, token, uniqueName, useServer } from './support.js'

describe('BatchGetSecretValue', () => {
  const t = useServer()

  it('reads the AWSCURRENT value of each listed secret, by name or ARN', async () => {
    const p = uniqueName('bg-ids')
    const a = await t.client.send(new CreateSecretCommand({ Name: `${p}/a`, SecretString: 'a1' }))
    await t.client.send(
      new PutSecretValueCommand({ SecretId: `${p}/a`, SecretString: 'a2', ClientRequestToken: token() }),
    )
    const pendingId = token()
    await t.client.send(
      new PutSecretValueCommand({
        SecretId: `${p}/a`,
        SecretString: 'a3',
        ClientRequestToken: pendingId,
        VersionStages: ['AWSPENDING'],
      }),
    )
    const b = await t.client.send(
      new CreateSecretCommand({ Name: `${p}/b`, SecretBinary: Buffer.from([1, 2, 3]) }),
    )
    const result = await t.client.send(
      new BatchGetSecretValueCommand({ SecretIdList: [`${p}/a`, b.ARN ?? ''] }),
    )
    expect(result.Errors).toEqual([])
    expect(result.NextToken).toBeUndefined()
    const byName = new Map((result.SecretValues ?? []).map((v) => [v.Name, v]))
    expect(byName.get(`${p}/a`)).toMatchObject({
      ARN: a.ARN,
      SecretString: 'a2',
      VersionStages: ['AWSCURRENT'],
    })
    expect(byName.get(`${p}/a`)?.VersionId).not.toBe(pendingId)
    expect(byName.get(`${p}/a`)?.CreatedDate).toBeInstanceOf(Date)
    const binary = byName.get(`${p}/b`)
    expect(binary).toMatchObject({ ARN: b.ARN, VersionId: b.VersionId, VersionStages: ['AWSCURRENT'] })
    expect(Buffer.from(binary?.SecretBinary ?? []).equals(Buffer.from([1, 2, 3]))).toBe(true)
    expect(binary).not.toHaveProperty('SecretString')
  })

  it('reports missing, deleted and empty secrets in Errors while the call succeeds', async () => {
    const p = uniqueName('bg-errors')
    await t.client.send(new CreateSecretCommand({ Name: `${p}/ok`, SecretString: 'ok' }))
    await t.client.send(new CreateSecretCommand({ Name: `${p}/deleted`, SecretString: 'x' }))
    await t.client.send(new DeleteSecretCommand({ SecretId: `${p}/deleted`, RecoveryWindowInDays: 7 }))
    await t.client.send(new CreateSecretCommand({ Name: `${p}/empty` }))
    const missing = `${p}/missing`
    const result = await t.client.send(
      new BatchGetSecretValueCommand({ SecretIdList: [`${p}/ok`, missing, `${p}/deleted`, `${p}/empty`] }),
    )
    expect(result.SecretValues?.map((v) => v.SecretString)).toEqual(['ok'])
    const errors = new Map((result.Errors ?? []).map((e) => [e.SecretId, e]))
    expect(errors.size).toBe(3)
    expect(errors.get(missing)).toEqual({
      SecretId: missing,
      ErrorCode: 'ResourceNotFoundException',
      Message: "Secrets Manager can't find the specified secret.",
    })
    expect(errors.get(`${p}/deleted`)).toEqual({
      SecretId: `${p}/deleted`,
      ErrorCode: 'InvalidRequestException',
      Message: "You can't perform this operation on the secret because it was marked for deletion.",
    })
    expect(errors.get(`${p}/empty`)?.ErrorCode).toBe('ResourceNotFoundException')
  })

  it('selects secrets with filters and paginates', async () => {
    const p = uniqueName('bg-filters')
    for (let i = 0; i < 7; i++) {
      await t.client.send(
        new CreateSecretCommand({
          Name: `${p}/s${i}`,
          SecretString: `value-${i}`,
          Tags: [{ Key: 'parity', Value: i % 2 === 0 ? 'even' : 'odd' }],
        }),
      )
    }
    await t.client.send(new DeleteSecretCommand({ SecretId: `${p}/s6`, RecoveryWindowInDays: 7 }))
    const input: BatchGetSecretValueCommandInput = {
      Filters: [
        { Key: 'name', Values: [p] },
        { Key: 'tag-value', Values: ['even'] },
      ],
    }
    const all = await t.client.send(new BatchGetSecretValueCommand(input))
    expect(all.SecretValues?.map((v) => v.SecretString).sort()).toEqual(['value-0', 'value-2', 'value-4'])
    expect(all.Errors).toEqual([])

    const paged: SecretValueEntry[] = []
    let nextToken: string | undefined
    let pages = 0
    do {
      const page = await t.client.send(
        new BatchGetSecretValueCommand({
          Filters: [{ Key: 'name', Values: [p] }],
          MaxResults: 2,
          ...(nextToken !== undefined && { NextToken: nextToken }),
        }),
      )
      expect(page.SecretValues?.length).toBeLessThanOrEqual(2)
      paged.push(...(page.SecretValues ?? []))
      nextToken = page.NextToken
      pages++
    } while (nextToken !== undefined && pages < 10)
    expect(pages).toBe(3)
    expect(paged.map((v) => v.SecretString).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `value-${i}`))
  })

  it('requires exactly one of SecretIdList and Filters, and Filters with MaxResults', async () => {
    const name = uniqueName('bg-args')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    const either = "Either 'SecretIdList' or 'Filters' must be provided, but not both."
    await expectAwsError(
      t.client.send(new BatchGetSecretValueCommand({})),
      'InvalidParameterException',
      either,
    )
    await expectAwsError(
      t.client.send(
        new BatchGetSecretValueCommand({ SecretIdList: [name], Filters: [{ Key: 'name', Values: [name] }] }),
      ),
      'InvalidParameterException',
      either,
    )
    await expectAwsError(
      t.client.send(new BatchGetSecretValueCommand({ SecretIdList: [name], MaxResults: 5 })),
      'InvalidParameterException',
      "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.",
    )
  })

  it('enforces the model limits: 20 ids, MaxResults 1-20', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `bg-limit-${i}`)
    await expectAwsError(
      t.client.send(new BatchGetSecretValueCommand({ SecretIdList: ids })),
      'ValidationException',
      /^1 validation error detected: .*'secretIdList'.*Member must have length less than or equal to 20$/,
    )
    await expectAwsError(
      t.client.send(
        new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['x'] }], MaxResults: 21 }),
      ),
      'ValidationException',
      "1 validation error detected: Value '21' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 20",
    )
  })
})
