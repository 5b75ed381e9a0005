/** TagResource and UntagResource (spec §3.2, §3.5, §3.13). */
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Tag,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import { expectAwsError, uniqueName, useServer } from './support.js'

const byKey = (tags: readonly Tag[] | undefined) =>
  [...(tags ?? [])].sort((a, b) => ((a.Key ?? '') < (b.Key ?? '') ? -1 : 1))

describe('tags', () => {
  const t = useServer()

  async function tagsOf(name: string) {
    return (await t.client.send(new DescribeSecretCommand({ SecretId: name }))).Tags
  }

  it('adds tags, overwrites values of existing keys, and keeps keys case-sensitive', async () => {
    const name = uniqueName('tags-add')
    await t.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v', Tags: [{ Key: 'env', Value: 'dev' }] }),
    )
    expect(await tagsOf(name)).toEqual([{ Key: 'env', Value: 'dev' }])
    const answer = await t.client.send(
      new TagResourceCommand({
        SecretId: name,
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'Env', Value: 'Prod' },
          { Key: 'empty', Value: '' },
        ],
      }),
    )
    expect(Object.keys(answer)).toEqual(['$metadata'])
    expect(byKey(await tagsOf(name))).toEqual([
      { Key: 'Env', Value: 'Prod' },
      { Key: 'empty', Value: '' },
      { Key: 'env', Value: 'prod' },
    ])
  })

  it('omits Tags until the first tagging and answers Tags: [] once all are removed', async () => {
    const name = uniqueName('tags-empty')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty('Tags')
    await t.client.send(
      new TagResourceCommand({
        SecretId: name,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    )
    await t.client.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['a', 'not-there'] }))
    expect(await tagsOf(name)).toEqual([{ Key: 'b', Value: '2' }])
    await t.client.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['b'] }))
    expect(await tagsOf(name)).toEqual([])
  })

  it('TagResource with no tags is not a first tagging: Tags stays omitted', async () => {
    // Decision (spec §3.5 "omitted until ever tagged"; AWS unrecorded for an empty list).
    const name = uniqueName('tags-none')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    await t.client.send(new TagResourceCommand({ SecretId: name, Tags: [] }))
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty('Tags')
  })

  it('untagging keys a secret never had changes nothing', async () => {
    const name = uniqueName('tags-noop')
    await t.client.send(
      new CreateSecretCommand({ Name: name, SecretString: 'v', Tags: [{ Key: 'k', Value: 'v' }] }),
    )
    await t.client.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['K', 'other'] }))
    expect(await tagsOf(name)).toEqual([{ Key: 'k', Value: 'v' }])
  })

  it('refuses unknown secrets, reserved keys and keys beyond the model limits', async () => {
    const name = uniqueName('tags-errors')
    await t.client.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    await expectAwsError(
      t.client.send(
        new TagResourceCommand({ SecretId: uniqueName('nope'), Tags: [{ Key: 'k', Value: 'v' }] }),
      ),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    )
    await expectAwsError(
      t.client.send(new UntagResourceCommand({ SecretId: uniqueName('nope'), TagKeys: ['k'] })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    )
    await expectAwsError(
      t.client.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'aws:owner', Value: 'me' }] })),
      'InvalidParameterException',
    )
    await expectAwsError(
      t.client.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] })),
      'ValidationException',
      /^1 validation error detected: Value '(k{129})' at 'tags\.1\.member\.key' failed to satisfy constraint: Member must have length less than or equal to 128$/,
    )
    await expectAwsError(
      t.client.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] })),
      'ValidationException',
      /'tags\.1\.member\.value'.*less than or equal to 256$/,
    )
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    await expectAwsError(
      t.client.send(new TagResourceCommand({ SecretId: name, Tags: many })),
      'InvalidParameterException',
    )
    expect(await t.client.send(new DescribeSecretCommand({ SecretId: name }))).not.toHaveProperty('Tags')
  })
})
