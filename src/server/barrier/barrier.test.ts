import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { IntegrityError, SealedError } from '../../lib/neutral-errors.js'
import { Barrier, type KeyringStore } from './barrier.js'
import { loadOrCreateRootKey } from './root-key.js'

function memoryKeyring(): KeyringStore & { terms: { term: number; sealedKey: Buffer }[] } {
  const terms: { term: number; sealedKey: Buffer }[] = []
  return {
    terms,
    loadTerms: async () => [...terms],
    insertTerm: async (term, sealedKey) => {
      if (terms.some((t) => t.term === term)) throw new Error('exists')
      terms.push({ term, sealedKey })
    },
  }
}

describe('Barrier', () => {
  it('round-trips and binds a blob to its associated data', async () => {
    const barrier = await Barrier.unseal(randomBytes(32), memoryKeyring(), 0)
    const blob = barrier.seal(Buffer.from('top secret'), 'row/1')
    expect(barrier.open(blob, 'row/1').toString()).toBe('top secret')
    expect(blob.includes(Buffer.from('top secret'))).toBe(false)
    expect(() => barrier.open(blob, 'row/2')).toThrow(IntegrityError)
    const tampered = Buffer.from(blob)
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    expect(() => barrier.open(tampered, 'row/1')).toThrow(IntegrityError)
  })

  it('reopens with the same root key and refuses another one', async () => {
    const keyring = memoryKeyring()
    const rootKey = randomBytes(32)
    const first = await Barrier.unseal(rootKey, keyring, 0)
    const blob = first.seal(Buffer.from('v'), 'a')
    const again = await Barrier.unseal(rootKey, keyring, 1)
    expect(again.open(blob, 'a').toString()).toBe('v')
    expect(keyring.terms).toHaveLength(1)
    await expect(Barrier.unseal(randomBytes(32), keyring, 2)).rejects.toBeInstanceOf(SealedError)
  })
})

describe('root key file', () => {
  it('is created once with mode 0600 and read back unchanged', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'coffer-root-')), 'root.key')
    const created = loadOrCreateRootKey(path)
    expect(created.created).toBe(true)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/)
    const loaded = loadOrCreateRootKey(path)
    expect(loaded.created).toBe(false)
    expect(loaded.key.equals(created.key)).toBe(true)
  })
})
