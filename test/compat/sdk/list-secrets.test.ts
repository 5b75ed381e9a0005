/** ListSecrets: filters, sorting, pagination, planned deletion (spec §3.8). */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  UpdateSecretCommand,
  type Filter,
  type ListSecretsCommandInput,
  type SecretListEntry,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, tick, uniqueName, useServer } from './support.js'

/** A lower-case word no other secret contains (letters only: digits would not change word splitting). */
function uniqueWord(): string {
  return Array.from({ length: 12 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')
}

describe('ListSecrets', () => {
  const t = useServer()

  async function create(
    name: string,
    extra: { Description?: string; Tags?: { Key: string; Value: string }[] } = {},
  ) {
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v', ...extra }))
  }

  /** Every entry the query returns, following NextToken. */
  async function listAll(input: ListSecretsCommandInput): Promise<SecretListEntry[]> {
    const entries: SecretListEntry[] = []
    let nextToken: string | undefined
    for (let pages = 0; pages < 50; pages++) {
      const page = await t.client.send(
        new ListSecretsCommand({ ...input, ...(nextToken !== undefined && { NextToken: nextToken }) }),
      )
      entries.push(...(page.SecretList ?? []))
      nextToken = page.NextToken
      if (nextToken === undefined) return entries
    }
    throw new Error('too many pages')
  }

  const names = async (...filters: Filter[]) =>
    (await listAll({ Filters: filters })).map((e) => e.Name).sort()

  it('filters by name: case-sensitive prefix, values OR-ed, filters AND-ed, negation', async () => {
    const p = uniqueName('ls-name')
    const [appOne, appTwo, dbOne, other] = [`${p}/app/one`, `${p}/app/two`, `${p}/db/one`, `${p}.other`]
    for (const name of [appOne, appTwo, dbOne, other]) await create(name)
    expect(await names({ Key: 'name', Values: [`${p}/app`] })).toEqual([appOne, appTwo])
    expect(await names({ Key: 'name', Values: [`${p}/APP`] })).toEqual([])
    expect(await names({ Key: 'name', Values: [`${p}/app/one`, `${p}/db`] })).toEqual([appOne, dbOne])
    expect(await names({ Key: 'name', Values: [`${p}/`] }, { Key: 'name', Values: [`${p}/app`] })).toEqual([
      appOne,
      appTwo,
    ])
    expect(await names({ Key: 'name', Values: [p] }, { Key: 'name', Values: [`!${p}/app`] })).toEqual(
      [dbOne, other].sort(),
    )
    expect(await names({ Key: 'name', Values: [p] }, { Key: 'name', Values: [`!${p}/`] })).toEqual([other])
    // A name filter is a prefix of the whole name, not of a path segment.
    expect(await names({ Key: 'name', Values: ['app/one'] })).toEqual([])
  })

  it('filters by description word by word, case-insensitively', async () => {
    const p = uniqueName('ls-desc')
    const described = { a: 'a secret', an: 'an secret', as: 'asecret', the: 'thesecret', two: 'one plus two' }
    for (const [suffix, Description] of Object.entries(described))
      await create(`${p}/${suffix}`, { Description })
    await create(`${p}/none`)
    const mine = { Key: 'name' as const, Values: [p] }
    const desc = (...values: string[]) => names(mine, { Key: 'description', Values: values })
    expect(await desc('a')).toEqual([`${p}/a`, `${p}/an`, `${p}/as`])
    expect(await desc('a secret')).toEqual([`${p}/a`, `${p}/an`])
    expect(await desc('A SECRET')).toEqual([`${p}/a`, `${p}/an`])
    expect(await desc('one two')).toEqual([`${p}/two`])
    expect(await desc('ecret')).toEqual([])
    expect(await desc('the', 'one')).toEqual([`${p}/the`, `${p}/two`])
    expect(await desc('!a')).toEqual([`${p}/none`, `${p}/the`, `${p}/two`])
  })

  it('filters by tag-key and tag-value: case-sensitive prefix of any tag', async () => {
    const p = uniqueName('ls-tags')
    await create(`${p}/x`, { Tags: [{ Key: 'Team', Value: 'payments' }] })
    await create(`${p}/y`, {
      Tags: [
        { Key: 'team', Value: 'Payroll' },
        { Key: 'env', Value: 'prod' },
      ],
    })
    await create(`${p}/z`)
    const mine = { Key: 'name' as const, Values: [p] }
    expect(await names(mine, { Key: 'tag-key', Values: ['Te'] })).toEqual([`${p}/x`])
    expect(await names(mine, { Key: 'tag-key', Values: ['te', 'Te'] })).toEqual([`${p}/x`, `${p}/y`])
    expect(await names(mine, { Key: 'tag-key', Values: ['en'] })).toEqual([`${p}/y`])
    expect(await names(mine, { Key: 'tag-value', Values: ['pay'] })).toEqual([`${p}/x`])
    expect(await names(mine, { Key: 'tag-value', Values: ['Pay', 'prod'] })).toEqual([`${p}/y`])
    expect(await names(mine, { Key: 'tag-key', Values: ['!env'] })).toEqual([`${p}/x`, `${p}/z`])
    expect(
      await names(mine, { Key: 'tag-key', Values: ['team'] }, { Key: 'tag-value', Values: ['prod'] }),
    ).toEqual([`${p}/y`])
  })

  it('filters with all across name, description, tag keys and tag values', async () => {
    const word = uniqueWord()
    const p = uniqueName('ls-all')
    await create(`${p}/in/${word}/name`)
    await create(`${p}/desc`, { Description: `holds the ${word.toUpperCase()} key` })
    await create(`${p}/tagkey`, { Tags: [{ Key: `x-${word}`, Value: 'v' }] })
    await create(`${p}/tagvalue`, { Tags: [{ Key: 'k', Value: `${word}.example` }] })
    await create(`${p}/unrelated`)
    const expected = [`${p}/desc`, `${p}/in/${word}/name`, `${p}/tagkey`, `${p}/tagvalue`]
    expect(await names({ Key: 'all', Values: [word] })).toEqual(expected)
    expect(await names({ Key: 'all', Values: [word.toUpperCase()] })).toEqual(expected)
    expect(await names({ Key: 'all', Values: [word.slice(3)] })).toEqual([])
    expect(await names({ Key: 'name', Values: [p] }, { Key: 'all', Values: [`!${word}`] })).toEqual([
      `${p}/unrelated`,
    ])
  })

  it('owning-service and primary-region match nothing on plain secrets; their negation matches all', async () => {
    const p = uniqueName('ls-svc')
    await create(`${p}/a`)
    await create(`${p}/b`)
    const mine = { Key: 'name' as const, Values: [p] }
    expect(await names(mine, { Key: 'owning-service', Values: ['appflow'] })).toEqual([])
    expect(await names(mine, { Key: 'primary-region', Values: ['us-'] })).toEqual([])
    expect(await names(mine, { Key: 'owning-service', Values: ['!appflow'] })).toEqual([`${p}/a`, `${p}/b`])
    expect(await names(mine, { Key: 'primary-region', Values: ['!us-'] })).toEqual([`${p}/a`, `${p}/b`])
  })

  it('sorts by each key, ascending by default and descending on request', async () => {
    const p = uniqueName('ls-sort')
    // Created in the order c, a, b; changed in the order b, c, a; only a is read.
    for (const suffix of ['c', 'a', 'b']) {
      await create(`${p}/${suffix}`)
      await tick()
    }
    for (const suffix of ['b', 'c', 'a']) {
      await t.client.send(new UpdateSecretCommand({ SecretId: `${p}/${suffix}`, Description: 'changed' }))
      await tick()
    }
    await t.client.send(new GetSecretValueCommand({ SecretId: `${p}/a` }))
    const order = async (input: Omit<ListSecretsCommandInput, 'Filters'>) =>
      (await listAll({ ...input, Filters: [{ Key: 'name', Values: [p] }] })).map((e) => e.Name?.slice(-1))
    expect(await order({})).toEqual(['c', 'a', 'b'])
    expect(await order({ SortBy: 'created-date' })).toEqual(['c', 'a', 'b'])
    expect(await order({ SortBy: 'created-date', SortOrder: 'desc' })).toEqual(['b', 'a', 'c'])
    expect(await order({ SortBy: 'name' })).toEqual(['a', 'b', 'c'])
    expect(await order({ SortBy: 'name', SortOrder: 'desc' })).toEqual(['c', 'b', 'a'])
    expect(await order({ SortBy: 'last-changed-date', SortOrder: 'asc' })).toEqual(['b', 'c', 'a'])
    expect(await order({ SortBy: 'last-changed-date', SortOrder: 'desc' })).toEqual(['a', 'c', 'b'])
    expect((await order({ SortBy: 'last-accessed-date' })).at(-1)).toBe('a')
    expect((await order({ SortBy: 'last-accessed-date', SortOrder: 'desc' }))[0]).toBe('a')
  })

  it('paginates with MaxResults and NextToken over many secrets, in every sort order', async () => {
    const p = uniqueName('ls-pages')
    const created = Array.from({ length: 23 }, (_, i) => `${p}/s${String(i).padStart(2, '0')}`)
    await Promise.all(created.map((name) => create(name)))
    const filter = { Key: 'name' as const, Values: [p] }
    const first = await t.client.send(new ListSecretsCommand({ Filters: [filter], MaxResults: 7 }))
    expect(first.SecretList).toHaveLength(7)
    expect(first.NextToken).toEqual(expect.any(String))
    for (const sort of [
      {},
      { SortBy: 'name' as const, SortOrder: 'desc' as const },
      { SortBy: 'last-changed-date' as const },
    ]) {
      const unpaged = await listAll({ Filters: [filter], ...sort })
      const paged = await listAll({ Filters: [filter], MaxResults: 7, ...sort })
      expect(paged.map((e) => e.Name)).toEqual(unpaged.map((e) => e.Name))
      expect(new Set(paged.map((e) => e.Name))).toEqual(new Set(created))
    }
    const byName = await listAll({ Filters: [filter], MaxResults: 5, SortBy: 'name' })
    expect(byName.map((e) => e.Name)).toEqual(created)
  })

  it('hides secrets scheduled for deletion unless IncludePlannedDeletion', async () => {
    const p = uniqueName('ls-deleted')
    await create(`${p}/live`)
    await create(`${p}/gone`)
    await t.client.send(new DeleteSecretCommand({ SecretId: `${p}/gone`, RecoveryWindowInDays: 7 }))
    const filter = { Key: 'name' as const, Values: [p] }
    expect((await listAll({ Filters: [filter] })).map((e) => e.Name)).toEqual([`${p}/live`])
    const all = await listAll({ Filters: [filter], IncludePlannedDeletion: true })
    expect(all.map((e) => e.Name).sort()).toEqual([`${p}/gone`, `${p}/live`])
    expect(all.find((e) => e.Name === `${p}/gone`)?.DeletedDate).toBeInstanceOf(Date)
    expect(all.find((e) => e.Name === `${p}/live`)).not.toHaveProperty('DeletedDate')
  })

  it('lists entries with SecretVersionsToStages and the DescribeSecret presence rules', async () => {
    const name = uniqueName('ls-entry')
    const { ARN, VersionId } = await t.client.send(
      new CreateSecretCommand({
        Name: name,
        SecretString: 'v',
        Description: '',
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    )
    const [entry] = await listAll({ Filters: [{ Key: 'name', Values: [name] }] })
    expect(entry).toMatchObject({
      ARN,
      Name: name,
      SecretVersionsToStages: { [VersionId ?? '']: ['AWSCURRENT'] },
      Tags: [{ Key: 'k', Value: 'v' }],
    })
    expect(entry?.CreatedDate).toBeInstanceOf(Date)
    expect(entry?.LastChangedDate).toBeInstanceOf(Date)
    for (const absent of [
      'VersionIdsToStages',
      'Description',
      'KmsKeyId',
      'LastAccessedDate',
      'DeletedDate',
    ]) {
      expect(entry, absent).not.toHaveProperty(absent)
    }
  })

  it('refuses out-of-range MaxResults, unknown filter keys, bad values and foreign tokens', async () => {
    await expectAwsError(
      t.client.send(new ListSecretsCommand({ MaxResults: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    )
    await expectAwsError(
      t.client.send(new ListSecretsCommand({ MaxResults: 101 })),
      'ValidationException',
      "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    )
    await expectAwsError(
      t.client.send(new ListSecretsCommand({ Filters: [{ Key: 'colour' as Filter['Key'], Values: ['x'] }] })),
      'ValidationException',
      /^1 validation error detected: Value 'colour' at 'filters\.1\.member\.key' failed to satisfy constraint: Member must satisfy enum value set: \[.*\]$/,
    )
    await expectAwsError(
      t.client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['a#b'] }] })),
      'ValidationException',
      /^1 validation error detected: .*'filters\.1\.member\.values.*regular expression pattern/,
    )
    await expectAwsError(
      t.client.send(new ListSecretsCommand({ Filters: [{ Key: 'name' }] })),
      'InvalidParameterException',
    )
    await expectAwsError(
      t.client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [] }] })),
      'ValidationException',
      /^1 validation error detected: .*'filters\.1\.member\.values'.*greater than or equal to 1$/,
    )
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: 'name' as const, Values: [`n${i}`] }))
    await expectAwsError(
      t.client.send(new ListSecretsCommand({ Filters: eleven })),
      'ValidationException',
      /^1 validation error detected: .*'filters'.*less than or equal to 10$/,
    )
    await expectAwsError(
      t.client.send(new ListSecretsCommand({ NextToken: 'not-a-token' })),
      'InvalidNextTokenException',
    )
  })
})
