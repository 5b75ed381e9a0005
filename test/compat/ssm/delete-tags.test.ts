/** DeleteParameter(s) and the tagging operations through @aws-sdk/client-ssm (spec §5.2). */
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm'
import { describe, expect, it } from 'vitest'
import { expectSsmError, rawSsm, uniqueName, uniquePath, useSsmServer } from './support.js'

const h = useSsmServer()
const put = (input: PutParameterCommandInput) => h.ssm.send(new PutParameterCommand(input))
const tagsOf = async (ResourceId: string) =>
  (await h.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId }))).TagList

describe('DeleteParameter and DeleteParameters', () => {
  it('deletes a parameter with all its versions; a new one starts again at version 1', async () => {
    const name = uniquePath('del')
    await put({ Name: name, Value: 'a', Type: 'String' })
    await put({ Name: name, Value: 'b', Overwrite: true })
    expect(await h.ssm.send(new DeleteParameterCommand({ Name: name }))).toMatchObject({})
    await expectSsmError(h.ssm.send(new GetParameterCommand({ Name: name })), 'ParameterNotFound')
    await expectSsmError(h.ssm.send(new DeleteParameterCommand({ Name: name })), 'ParameterNotFound')
    const raw = await rawSsm(h.server, 'DeleteParameter', { Name: name })
    expect(raw.json).toEqual({ __type: 'ParameterNotFound', message: '' })
    expect(await put({ Name: name, Value: 'c', Type: 'String' })).toMatchObject({ Version: 1 })
  })

  it('deletes by either form of a single-level name', async () => {
    const name = uniqueName('del-slash')
    await put({ Name: name, Value: 'a', Type: 'String' })
    await h.ssm.send(new DeleteParameterCommand({ Name: `/${name}` }))
    await expectSsmError(h.ssm.send(new GetParameterCommand({ Name: name })), 'ParameterNotFound')
  })

  it('deletes a batch and reports the names it could not delete, never failing for them', async () => {
    const base = uniquePath('batch')
    await put({ Name: `${base}/a`, Value: 'a', Type: 'String' })
    await put({ Name: `${base}/b`, Value: 'b', Type: 'SecureString' })
    const result = await h.ssm.send(
      new DeleteParametersCommand({ Names: [`${base}/a`, `${base}/missing`, `${base}/b`, 'not//valid'] }),
    )
    expect(result.DeletedParameters).toEqual([`${base}/a`, `${base}/b`])
    expect(result.InvalidParameters).toEqual([`${base}/missing`, 'not//valid'])
    const raw = await rawSsm(h.server, 'DeleteParameters', { Names: [`${base}/a`] })
    expect(raw.json).toEqual({ DeletedParameters: [], InvalidParameters: [`${base}/a`] })
    await expectSsmError(h.ssm.send(new DeleteParametersCommand({ Names: [] })), 'ValidationException')
  })
})

describe('AddTagsToResource, RemoveTagsFromResource, ListTagsForResource', () => {
  it('adds, overwrites, lists and removes tags of a parameter', async () => {
    const name = uniquePath('tags')
    await put({
      Name: name,
      Value: 'v',
      Type: 'String',
      Tags: [{ Key: 'managed-by', Value: 'external-secrets' }],
    })
    expect(await tagsOf(name)).toEqual([{ Key: 'managed-by', Value: 'external-secrets' }])
    await h.ssm.send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: name,
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'managed-by', Value: 'me' },
        ],
      }),
    )
    expect(await tagsOf(name)).toEqual([
      { Key: 'managed-by', Value: 'me' },
      { Key: 'env', Value: 'prod' },
    ])
    await h.ssm.send(
      new RemoveTagsFromResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: name,
        TagKeys: ['env', 'none'],
      }),
    )
    expect(await tagsOf(name)).toEqual([{ Key: 'managed-by', Value: 'me' }])
    // Overwriting a parameter keeps its tags.
    await put({ Name: name, Value: 'w', Overwrite: true })
    expect(await tagsOf(name)).toEqual([{ Key: 'managed-by', Value: 'me' }])
  })

  it('refuses other resource types, unknown parameters and more than 50 tags', async () => {
    const name = uniquePath('tagerr')
    await put({ Name: name, Value: 'v', Type: 'String' })
    await expectSsmError(
      h.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: name })),
      'InvalidResourceType',
    )
    await expectSsmError(
      h.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: `${name}-no` })),
      'InvalidResourceId',
    )
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    await h.ssm.send(
      new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: tags }),
    )
    await expectSsmError(
      h.ssm.send(
        new AddTagsToResourceCommand({
          ResourceType: 'Parameter',
          ResourceId: name,
          Tags: [{ Key: 'one-more', Value: 'v' }],
        }),
      ),
      'TooManyTagsError',
    )
    expect(await tagsOf(name)).toHaveLength(50)
  })
})
