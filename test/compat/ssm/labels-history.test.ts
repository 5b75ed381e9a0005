/** Labels, GetParameterHistory and version retention through @aws-sdk/client-ssm (spec §5.2). */
import {
  GetParameterCommand,
  GetParameterHistoryCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  UnlabelParameterVersionCommand,
  paginateGetParameterHistory,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm'
import { describe, expect, it } from 'vitest'
import { expectSsmError, rawSsm, uniqueName, uniquePath, useSsmServer } from './support.js'

const h = useSsmServer()
const put = (input: PutParameterCommandInput) => h.ssm.send(new PutParameterCommand(input))
const label = (Name: string, Labels: string[], ParameterVersion?: number) =>
  h.ssm.send(
    new LabelParameterVersionCommand({ Name, Labels, ...(ParameterVersion && { ParameterVersion }) }),
  )

async function versions(name: string, n: number): Promise<void> {
  await put({ Name: name, Value: 'v1', Type: 'String' })
  for (let i = 2; i <= n; i++) await put({ Name: name, Value: `v${i}`, Overwrite: true })
}

async function history(Name: string, WithDecryption = false) {
  const out = []
  for await (const page of paginateGetParameterHistory(
    { client: h.ssm, pageSize: 2 },
    { Name, WithDecryption },
  )) {
    out.push(...(page.Parameters ?? []))
  }
  return out
}

describe('LabelParameterVersion and UnlabelParameterVersion', () => {
  it('labels the latest version by default and moves a label between versions', async () => {
    const name = uniquePath('lbl')
    await versions(name, 3)
    expect(await label(name, ['prod'])).toMatchObject({ InvalidLabels: [], ParameterVersion: 3 })
    expect(await label(name, ['prod', 'qa'], 1)).toMatchObject({ InvalidLabels: [], ParameterVersion: 1 })
    const labels = (await history(name)).map((p) => [p.Version, p.Labels])
    expect(labels).toEqual([
      [1, ['prod', 'qa']],
      [2, []],
      [3, []],
    ])
    const got = await h.ssm.send(new GetParameterCommand({ Name: `${name}:prod` }))
    expect(got.Parameter).toMatchObject({ Version: 1, Value: 'v1', Selector: ':prod' })
  })

  it('returns labels that break the rules in InvalidLabels instead of failing', async () => {
    const name = uniquePath('bad')
    await versions(name, 1)
    const bad = ['1digit', 'awsLabel', 'SSM-x', 'has space', 'x'.repeat(101).slice(0, 100) + '!']
    const result = await label(name, ['good.one', ...bad.slice(0, 4)])
    expect(result).toMatchObject({ InvalidLabels: bad.slice(0, 4), ParameterVersion: 1 })
    expect((await history(name))[0]?.Labels).toEqual(['good.one'])
  })

  it('allows at most 10 labels per version', async () => {
    const name = uniquePath('ten')
    await versions(name, 2)
    await label(
      name,
      Array.from({ length: 10 }, (_, i) => `l${i}`),
      1,
    )
    await expectSsmError(label(name, ['eleventh'], 1), 'ParameterVersionLabelLimitExceeded')
    await label(name, ['eleventh'], 2)
    await label(name, ['l0'], 2)
    await label(name, ['eleventh'], 1)
    expect((await history(name)).map((p) => p.Labels)).toEqual([
      [...Array.from({ length: 9 }, (_, i) => `l${i + 1}`), 'eleventh'].sort(),
      ['l0'],
    ])
  })

  it('refuses unknown parameters and versions', async () => {
    const name = uniquePath('unknown')
    await expectSsmError(label(name, ['x']), 'ParameterNotFound')
    await versions(name, 1)
    await expectSsmError(
      label(name, ['x'], 5),
      'ParameterVersionNotFound',
      `Systems Manager could not find version 5 of ${name}. Verify the version and try again.`,
    )
  })

  it('unlabels: removed labels and the ones the version did not carry', async () => {
    const name = uniquePath('unl')
    await versions(name, 2)
    await label(name, ['a', 'b'], 1)
    const result = await h.ssm.send(
      new UnlabelParameterVersionCommand({ Name: name, ParameterVersion: 1, Labels: ['a', 'zzz'] }),
    )
    expect(result).toMatchObject({ RemovedLabels: ['a'], InvalidLabels: ['zzz'] })
    expect((await history(name))[0]?.Labels).toEqual(['b'])
    await expectSsmError(
      h.ssm.send(new UnlabelParameterVersionCommand({ Name: name, ParameterVersion: 9, Labels: ['b'] })),
      'ParameterVersionNotFound',
    )
  })
})

describe('GetParameterHistory', () => {
  it('lists every version with its attributes, decrypting only with WithDecryption', async () => {
    const name = uniquePath('hist')
    await put({
      Name: name,
      Value: 'one',
      Type: 'SecureString',
      Description: 'd1',
      AllowedPattern: '^[a-z]+$',
    })
    await put({ Name: name, Value: 'two', Overwrite: true, Description: 'd2' })
    const decrypted = await history(name, true)
    expect(decrypted).toEqual([
      {
        Name: name,
        Type: 'SecureString',
        KeyId: 'alias/aws/ssm',
        LastModifiedDate: expect.any(Date),
        LastModifiedUser: expect.stringMatching(/^arn:aws:iam::/),
        Description: 'd1',
        Value: 'one',
        AllowedPattern: '^[a-z]+$',
        Version: 1,
        Labels: [],
        Tier: 'Standard',
        Policies: [],
        DataType: 'text',
      },
      expect.objectContaining({ Version: 2, Value: 'two', Description: 'd2', AllowedPattern: '^[a-z]+$' }),
    ])
    const encrypted = await history(name)
    expect(encrypted.map((p) => p.Value)).not.toContain('one')
  })

  it('pages with MaxResults 1-50 and answers ParameterNotFound for unknown names', async () => {
    const name = uniquePath('hpage')
    await versions(name, 5)
    const page = await h.ssm.send(new GetParameterHistoryCommand({ Name: name, MaxResults: 2 }))
    expect(page.Parameters?.map((p) => p.Version)).toEqual([1, 2])
    const next = await h.ssm.send(
      new GetParameterHistoryCommand({ Name: name, MaxResults: 50, NextToken: page.NextToken }),
    )
    expect(next.Parameters?.map((p) => p.Version)).toEqual([3, 4, 5])
    expect(next.NextToken).toBeUndefined()
    await expectSsmError(
      h.ssm.send(new GetParameterHistoryCommand({ Name: name, MaxResults: 51 })),
      'ValidationException',
    )
    await expectSsmError(
      h.ssm.send(new GetParameterHistoryCommand({ Name: `${name}-no` })),
      'ParameterNotFound',
    )
    const raw = await rawSsm(h.server, 'GetParameterHistory', { Name: `${name}-no` })
    expect(raw.json).toEqual({ __type: 'ParameterNotFound', message: '' })
  })
})

describe('version retention', () => {
  it('keeps the 100 most recent versions; a labelled oldest version stops the put', async () => {
    const name = uniqueName('retain')
    await versions(name, 100)
    expect(await put({ Name: name, Value: 'v101', Overwrite: true })).toMatchObject({ Version: 101 })
    let all = await history(name)
    expect(all).toHaveLength(100)
    expect(all[0]?.Version).toBe(2)
    await label(name, ['keep'], 2)
    await expectSsmError(
      put({ Name: name, Value: 'v102', Overwrite: true }),
      'ParameterMaxVersionLimitExceeded',
      `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version 2, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
    )
    await label(name, ['keep'], 50)
    expect(await put({ Name: name, Value: 'v102', Overwrite: true })).toMatchObject({ Version: 102 })
    all = await history(name)
    expect([all.length, all[0]?.Version, all[all.length - 1]?.Version]).toEqual([100, 3, 102])
  }, 120_000)
})
