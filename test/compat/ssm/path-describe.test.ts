/** GetParametersByPath and DescribeParameters through @aws-sdk/client-ssm (spec §5.2). */
import {
  DescribeParametersCommand,
  GetParametersByPathCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  paginateDescribeParameters,
  paginateGetParametersByPath,
  type DescribeParametersCommandInput,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectSsmError, uniqueName, uniquePath, useSsmServer } from './support.js'

const h = useSsmServer()
const put = (input: PutParameterCommandInput) => h.ssm.send(new PutParameterCommand(input))

/** A tree under its own root: /root/{a,b}, /root/sub/{c,secret}, /root/sub/deeper/d. */
let root = ''
beforeAll(async () => {
  root = uniquePath('tree')
  await put({ Name: `${root}/a`, Value: 'a', Type: 'String', Tags: [{ Key: 'env', Value: 'prod' }] })
  await put({ Name: `${root}/b`, Value: 'x,y', Type: 'StringList', Tier: 'Advanced' })
  await put({ Name: `${root}/sub/c`, Value: 'c', Type: 'String', Tags: [{ Key: 'env', Value: 'dev' }] })
  await put({ Name: `${root}/sub/secret`, Value: 's', Type: 'SecureString' })
  await put({ Name: `${root}/sub/deeper/d`, Value: 'd', Type: 'String', DataType: 'text' })
})

async function byPath(input: { Path: string; Recursive?: boolean; [k: string]: unknown }) {
  const names: string[] = []
  const values: string[] = []
  for await (const page of paginateGetParametersByPath({ client: h.ssm, pageSize: 2 }, input)) {
    for (const p of page.Parameters ?? []) {
      names.push((p.Name ?? '').slice(root.length))
      values.push(p.Value ?? '')
    }
  }
  return { names, values }
}

async function describeNames(input: DescribeParametersCommandInput): Promise<string[]> {
  const names: string[] = []
  for await (const page of paginateDescribeParameters({ client: h.ssm, pageSize: 3 }, input)) {
    for (const p of page.Parameters ?? []) names.push(p.Name ?? '')
  }
  return names.filter((n) => n.startsWith(root)).map((n) => n.slice(root.length))
}

describe('GetParametersByPath', () => {
  it('lists one level by default and the whole subtree with Recursive, in name order', async () => {
    expect((await byPath({ Path: root })).names).toEqual(['/a', '/b'])
    expect((await byPath({ Path: `${root}/` })).names).toEqual(['/a', '/b'])
    expect((await byPath({ Path: root, Recursive: true })).names).toEqual([
      '/a',
      '/b',
      '/sub/c',
      '/sub/deeper/d',
      '/sub/secret',
    ])
    expect((await byPath({ Path: `${root}/sub` })).names).toEqual(['/sub/c', '/sub/secret'])
    expect((await byPath({ Path: `${root}/nothing`, Recursive: true })).names).toEqual([])
  })

  it('decrypts only with WithDecryption', async () => {
    const plain = await byPath({ Path: `${root}/sub` })
    expect(plain.values[1]).not.toBe('s')
    expect((await byPath({ Path: `${root}/sub`, WithDecryption: true })).values).toEqual(['c', 's'])
  })

  it('lists single-level names, with or without their slash, under "/"', async () => {
    const bare = uniqueName('rootlevel')
    const slashed = `/${uniqueName('rootlevel')}`
    await put({ Name: bare, Value: 'r', Type: 'String' })
    await put({ Name: slashed, Value: 'r', Type: 'String' })
    const names = async (Recursive: boolean) => {
      const out: string[] = []
      for await (const page of paginateGetParametersByPath({ client: h.ssm }, { Path: '/', Recursive })) {
        out.push(...(page.Parameters ?? []).map((p) => p.Name ?? ''))
      }
      return out
    }
    const oneLevel = await names(false)
    expect(oneLevel).toContain(bare)
    expect(oneLevel).toContain(slashed)
    expect(oneLevel).not.toContain(`${root}/a`)
    expect(await names(true)).toContain(`${root}/sub/deeper/d`)
  })

  it('filters by Type, KeyId and Label; other keys are InvalidFilterKey', async () => {
    const secure = await byPath({
      Path: root,
      Recursive: true,
      ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }],
    })
    expect(secure.names).toEqual(['/sub/secret'])
    const keyed = await byPath({
      Path: root,
      Recursive: true,
      ParameterFilters: [{ Key: 'KeyId', Option: 'BeginsWith', Values: ['alias/aws/'] }],
    })
    expect(keyed.names).toEqual(['/sub/secret'])
    await put({ Name: `${root}/sub/c`, Value: 'c2', Overwrite: true })
    await h.ssm.send(
      new LabelParameterVersionCommand({ Name: `${root}/sub/c`, ParameterVersion: 1, Labels: ['stable'] }),
    )
    const labelled = await byPath({
      Path: root,
      Recursive: true,
      ParameterFilters: [{ Key: 'Label', Values: ['stable'] }],
    })
    expect(labelled).toEqual({ names: ['/sub/c'], values: ['c'] })
    for (const Key of ['Name', 'Path', 'Tier', 'DataType', 'tag:env']) {
      await expectSsmError(
        h.ssm.send(
          new GetParametersByPathCommand({ Path: root, ParameterFilters: [{ Key, Values: ['x'] }] }),
        ),
        'InvalidFilterKey',
      )
    }
    await expectSsmError(
      h.ssm.send(
        new GetParametersByPathCommand({
          Path: root,
          ParameterFilters: [{ Key: 'Label', Option: 'BeginsWith', Values: ['s'] }],
        }),
      ),
      'InvalidFilterOption',
    )
  })

  it('pages with MaxResults 1-10 and an opaque NextToken', async () => {
    const first = await h.ssm.send(
      new GetParametersByPathCommand({ Path: root, Recursive: true, MaxResults: 2 }),
    )
    expect(first.Parameters).toHaveLength(2)
    expect(first.NextToken).toBeDefined()
    const second = await h.ssm.send(
      new GetParametersByPathCommand({
        Path: root,
        Recursive: true,
        MaxResults: 10,
        NextToken: first.NextToken,
      }),
    )
    expect(second.Parameters).toHaveLength(3)
    expect(second.NextToken).toBeUndefined()
    await expectSsmError(
      h.ssm.send(new GetParametersByPathCommand({ Path: root, MaxResults: 11 })),
      'ValidationException',
      /less than or equal to 10/,
    )
    await expectSsmError(
      h.ssm.send(new GetParametersByPathCommand({ Path: `${root}/sub`, NextToken: first.NextToken })),
      'InvalidNextToken',
    )
    await expectSsmError(
      h.ssm.send(new GetParametersByPathCommand({ Path: 'no-slash' })),
      'ValidationException',
    )
  })
})

describe('DescribeParameters', () => {
  it('describes metadata only, with KeyId for SecureStrings', async () => {
    const result = await h.ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [`${root}/sub/secret`] }] }),
    )
    expect(result.Parameters).toEqual([
      {
        Name: `${root}/sub/secret`,
        ARN: `arn:aws:ssm:${h.region}:${h.accountId}:parameter${root}/sub/secret`,
        Type: 'SecureString',
        KeyId: 'alias/aws/ssm',
        LastModifiedDate: expect.any(Date),
        LastModifiedUser: expect.stringMatching(/^arn:aws:iam::\d{12}:user\//),
        Version: 1,
        Tier: 'Standard',
        Policies: [],
        DataType: 'text',
      },
    ])
  })

  it('filters by Name, Path, Type, Tier, DataType, KeyId and tags', async () => {
    expect(
      await describeNames({
        ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [`${root}/sub`] }],
      }),
    ).toEqual(['/sub/c', '/sub/deeper/d', '/sub/secret'])
    expect(
      await describeNames({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['deeper'] }] }),
    ).toEqual(['/sub/deeper/d'])
    expect(await describeNames({ ParameterFilters: [{ Key: 'Path', Values: [root] }] })).toEqual(['/a', '/b'])
    expect(
      await describeNames({
        ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [`${root}/sub`] }],
      }),
    ).toEqual(['/sub/c', '/sub/deeper/d', '/sub/secret'])
    const inTree = { Key: 'Path', Option: 'Recursive', Values: [root] }
    expect(
      await describeNames({ ParameterFilters: [inTree, { Key: 'Type', Values: ['StringList'] }] }),
    ).toEqual(['/b'])
    expect(
      await describeNames({ ParameterFilters: [inTree, { Key: 'Tier', Values: ['Advanced'] }] }),
    ).toEqual(['/b'])
    expect(
      await describeNames({ ParameterFilters: [inTree, { Key: 'KeyId', Values: ['alias/aws/ssm'] }] }),
    ).toEqual(['/sub/secret'])
    expect(await describeNames({ ParameterFilters: [inTree, { Key: 'tag:env', Values: ['prod'] }] })).toEqual(
      ['/a'],
    )
    expect(await describeNames({ ParameterFilters: [inTree, { Key: 'tag:env' }] })).toEqual(['/a', '/sub/c'])
    expect(
      await describeNames({ ParameterFilters: [inTree, { Key: 'DataType', Values: ['text'] }] }),
    ).toHaveLength(5)
    expect(await describeNames({ Filters: [{ Key: 'Name', Values: [`${root}/sub/`] }] })).toEqual([
      '/sub/c',
      '/sub/deeper/d',
      '/sub/secret',
    ])
  })

  it('refuses Label, invalid options and values, reserved paths, and both filter kinds together', async () => {
    const send = (input: DescribeParametersCommandInput) => h.ssm.send(new DescribeParametersCommand(input))
    await expectSsmError(send({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] }), 'InvalidFilterKey')
    await expectSsmError(
      send({ ParameterFilters: [{ Key: 'Type', Option: 'Contains', Values: ['String'] }] }),
      'InvalidFilterOption',
    )
    await expectSsmError(
      send({ ParameterFilters: [{ Key: 'Type', Values: ['Nope'] }] }),
      'InvalidFilterValue',
    )
    await expectSsmError(send({ ParameterFilters: [{ Key: 'Name' }] }), 'InvalidFilterValue')
    await expectSsmError(
      send({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/aws/x'] }] }),
      'ValidationException',
    )
    await expectSsmError(
      send({
        Filters: [{ Key: 'Name', Values: ['x'] }],
        ParameterFilters: [{ Key: 'Name', Values: ['x'] }],
      }),
      'ValidationException',
      'You can use either Filters or ParameterFilters in a single request.',
    )
    await expectSsmError(send({ MaxResults: 51 }), 'ValidationException')
    await expectSsmError(send({ NextToken: 'garbage' }), 'InvalidNextToken')
  })

  it('pages through everything in name order', async () => {
    const all = await describeNames({})
    expect(all).toEqual(['/a', '/b', '/sub/c', '/sub/deeper/d', '/sub/secret'])
  })
})
