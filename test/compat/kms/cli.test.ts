/**
 * The Debian AWS CLI v2 (`/usr/bin/aws`, 2.9.x: its model predates RotateKeyOnDemand and
 * ListKeyRotations) against a real server, clean environment: every KMS command it knows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { cliEnvironment, CliFailure, requireAwsCli, runAws } from '../cli/aws-cli.js'

let server: TestServer
let home: string
let files: string

beforeAll(async () => {
  requireAwsCli()
  server = await startServer()
  home = mkdtempSync(join(tmpdir(), 'coffer-kms-cli-home-'))
  files = mkdtempSync(join(tmpdir(), 'coffer-kms-cli-files-'))
})

afterAll(async () => {
  await server?.stop({ cleanup: true })
  for (const dir of [home, files]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

const raw = (args: readonly string[]) =>
  runAws(
    ['kms', ...args, '--endpoint-url', server.endpoint, '--output', 'json'],
    cliEnvironment(server, home),
  )

async function kms<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const result = await raw(args)
  if (result.code !== 0) throw new CliFailure(args, result)
  return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T
}

async function kmsError(...args: string[]): Promise<{ code: string; message: string }> {
  const result = await raw(args)
  if (result.code === 0) throw new Error(`aws kms ${args.join(' ')} succeeded unexpectedly: ${result.stdout}`)
  const match = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: ?(.*)$/m.exec(
    result.stderr,
  )
  if (match === null) throw new CliFailure(args, result)
  return { code: match[1] ?? '', message: (match[2] ?? '').trim() }
}

function file(name: string, content: Buffer | string): string {
  const path = join(files, name)
  writeFileSync(path, content)
  return `fileb://${path}`
}

interface KeyMetadata {
  KeyId: string
  Arn: string
  KeyState: string
}

async function newKey(...extra: string[]): Promise<KeyMetadata> {
  return (await kms<{ KeyMetadata: KeyMetadata }>('create-key', ...extra)).KeyMetadata
}

describe('aws kms (CLI v2)', () => {
  it('encrypt → decrypt round trip with an encryption context; a wrong context is InvalidCiphertextException', async () => {
    const key = await newKey('--description', 'cli key')
    const encrypted = await kms<{ CiphertextBlob: string; KeyId: string }>(
      'encrypt',
      '--key-id',
      key.KeyId,
      '--plaintext',
      file('plain.txt', 'hello from the CLI'),
      '--encryption-context',
      'app=cli,stage=test',
    )
    expect(encrypted.KeyId).toBe(key.Arn)
    const blob = file('blob.bin', Buffer.from(encrypted.CiphertextBlob, 'base64'))
    const decrypted = await kms<{ Plaintext: string; KeyId: string }>(
      'decrypt',
      '--ciphertext-blob',
      blob,
      '--encryption-context',
      'stage=test,app=cli',
    )
    expect(decrypted.KeyId).toBe(key.Arn)
    expect(Buffer.from(decrypted.Plaintext, 'base64').toString()).toBe('hello from the CLI')
    const wrong = await kmsError('decrypt', '--ciphertext-blob', blob, '--encryption-context', 'app=other')
    expect(wrong).toEqual({ code: 'InvalidCiphertextException', message: '' })
  })

  it('key lifecycle: describe, list, disable/enable, schedule/cancel deletion, description', async () => {
    const key = await newKey()
    expect(
      (await kms<{ KeyMetadata: KeyMetadata }>('describe-key', '--key-id', key.Arn)).KeyMetadata.KeyId,
    ).toBe(key.KeyId)
    const listed = await kms<{ Keys: { KeyId: string }[] }>('list-keys')
    expect(listed.Keys.map((k) => k.KeyId)).toContain(key.KeyId)
    await kms('disable-key', '--key-id', key.KeyId)
    const disabled = await kmsError('encrypt', '--key-id', key.KeyId, '--plaintext', file('p', 'x'))
    expect(disabled).toEqual({ code: 'DisabledException', message: `${key.Arn} is disabled.` })
    await kms('enable-key', '--key-id', key.KeyId)
    const scheduled = await kms<{ KeyState: string; PendingWindowInDays: number }>(
      'schedule-key-deletion',
      '--key-id',
      key.KeyId,
      '--pending-window-in-days',
      '7',
    )
    expect(scheduled).toMatchObject({ KeyState: 'PendingDeletion', PendingWindowInDays: 7 })
    await kms('cancel-key-deletion', '--key-id', key.KeyId)
    expect(
      (await kms<{ KeyMetadata: KeyMetadata }>('describe-key', '--key-id', key.KeyId)).KeyMetadata.KeyState,
    ).toBe('Disabled')
    await kms('update-key-description', '--key-id', key.KeyId, '--description', 'renamed')
    const missing = await kmsError('describe-key', '--key-id', 'nope')
    expect(missing).toEqual({ code: 'NotFoundException', message: "Invalid keyId 'nope'" })
  })

  it('aliases, re-encrypt, data keys and random bytes', async () => {
    const one = await newKey()
    const two = await newKey()
    const alias = `alias/cli-${Date.now().toString(36)}`
    await kms('create-alias', '--alias-name', alias, '--target-key-id', one.KeyId)
    const aliases = await kms<{ Aliases: { AliasName: string; TargetKeyId?: string }[] }>(
      'list-aliases',
      '--key-id',
      one.KeyId,
    )
    expect(aliases.Aliases).toMatchObject([{ AliasName: alias, TargetKeyId: one.KeyId }])
    const encrypted = await kms<{ CiphertextBlob: string }>(
      'encrypt',
      '--key-id',
      alias,
      '--plaintext',
      file('p2', 'alias'),
    )
    await kms('update-alias', '--alias-name', alias, '--target-key-id', two.KeyId)
    const moved = await kms<{ CiphertextBlob: string; KeyId: string; SourceKeyId: string }>(
      're-encrypt',
      '--ciphertext-blob',
      file('b2', Buffer.from(encrypted.CiphertextBlob, 'base64')),
      '--destination-key-id',
      alias,
    )
    expect(moved).toMatchObject({ KeyId: two.Arn, SourceKeyId: one.Arn })
    await kms('delete-alias', '--alias-name', alias)
    const dataKey = await kms<{ Plaintext: string; CiphertextBlob: string; KeyId: string }>(
      'generate-data-key',
      '--key-id',
      two.KeyId,
      '--key-spec',
      'AES_256',
    )
    expect(Buffer.from(dataKey.Plaintext, 'base64')).toHaveLength(32)
    const noPlain = await kms<Record<string, unknown>>(
      'generate-data-key-without-plaintext',
      '--key-id',
      two.KeyId,
      '--number-of-bytes',
      '16',
    )
    expect(noPlain.Plaintext).toBeUndefined()
    const random = await kms<{ Plaintext: string }>('generate-random', '--number-of-bytes', '64')
    expect(Buffer.from(random.Plaintext, 'base64')).toHaveLength(64)
    const reserved = await kmsError(
      'create-alias',
      '--alias-name',
      'alias/aws/cli',
      '--target-key-id',
      one.KeyId,
    )
    expect(reserved.code).toBe('NotAuthorizedException')
  })

  it('rotation, key policy and tags', async () => {
    const key = await newKey('--tags', 'TagKey=env,TagValue=prod')
    await kms('enable-key-rotation', '--key-id', key.KeyId)
    expect(await kms('get-key-rotation-status', '--key-id', key.KeyId)).toMatchObject({
      KeyRotationEnabled: true,
    })
    await kms('disable-key-rotation', '--key-id', key.KeyId)
    expect(await kms('get-key-rotation-status', '--key-id', key.KeyId)).toMatchObject({
      KeyRotationEnabled: false,
    })
    const { Policy } = await kms<{ Policy: string }>(
      'get-key-policy',
      '--key-id',
      key.KeyId,
      '--policy-name',
      'default',
    )
    expect(JSON.parse(Policy)).toMatchObject({ Statement: [{ Sid: 'Enable IAM User Permissions' }] })
    await kms('put-key-policy', '--key-id', key.KeyId, '--policy-name', 'default', '--policy', Policy)
    expect(await kms('list-key-policies', '--key-id', key.KeyId)).toMatchObject({ PolicyNames: ['default'] })
    await kms('tag-resource', '--key-id', key.KeyId, '--tags', 'TagKey=team,TagValue=core')
    await kms('untag-resource', '--key-id', key.KeyId, '--tag-keys', 'env')
    // The CLI pages through by itself and drops Truncated/NextMarker.
    expect(await kms('list-resource-tags', '--key-id', key.KeyId)).toEqual({
      Tags: [{ TagKey: 'team', TagValue: 'core' }],
    })
    const reserved = await kmsError(
      'tag-resource',
      '--key-id',
      key.KeyId,
      '--tags',
      'TagKey=aws:x,TagValue=y',
    )
    expect(reserved).toEqual({ code: 'TagException', message: 'Tags beginning with aws: are reserved' })
  })
})
