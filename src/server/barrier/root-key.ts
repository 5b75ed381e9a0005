import { closeSync, constants, openSync, readFileSync, writeSync, fsyncSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { KEY_BYTES } from './aead.js'
import { SealedError } from '../../lib/neutral-errors.js'

/**
 * The root key seal: a key file (hex, mode 0600) generated on first start. Other seals (passphrase,
 * Shamir shares, external KMS) would produce the same 32 bytes by other means.
 */
export function loadOrCreateRootKey(path: string): { key: Buffer; created: boolean } {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
    const key = randomBytes(KEY_BYTES)
    try {
      writeSync(fd, key.toString('hex') + '\n')
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    return { key, created: true }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return { key: readRootKey(path), created: false }
}

export function readRootKey(path: string): Buffer {
  const text = readFileSync(path, 'utf8').trim()
  if (!/^[0-9a-f]{64}$/.test(text)) throw new SealedError(`root key file ${path} is not 64 hex characters`)
  return Buffer.from(text, 'hex')
}
