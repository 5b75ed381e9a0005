import { randomBytes } from 'node:crypto'
import { IntegrityError, SealedError } from '../../lib/neutral-errors.js'
import { KEY_BYTES, open, seal } from './aead.js'

/**
 * Storage for barrier keys: each term's key, sealed by the root key. Terms only grow; old terms
 * stay so that everything written under them remains readable after a rotation.
 */
export interface KeyringStore {
  /** All terms, ascending. */
  loadTerms(): Promise<{ term: number; sealedKey: Buffer }[]>
  /** Adds a term; fails if the term exists (another process added it first). */
  insertTerm(term: number, sealedKey: Buffer, createdAt: number): Promise<void>
}

const FORMAT = 1
const HEADER_BYTES = 5 // format (1) | term (4, big endian)

/**
 * The encrypting barrier: everything at rest that must stay confidential (key material, access-key
 * secrets) passes through `seal`/`open`. Associated data names what a blob is, so a blob moved to
 * another row or purpose fails to open.
 */
export class Barrier {
  private readonly keys = new Map<number, Buffer>()
  private activeTerm = 0

  static async unseal(rootKey: Buffer, store: KeyringStore, now: number): Promise<Barrier> {
    const barrier = new Barrier()
    let terms = await store.loadTerms()
    if (terms.length === 0) {
      const fresh = randomBytes(KEY_BYTES)
      try {
        await store.insertTerm(1, seal(rootKey, fresh, termAad(1)), now)
      } catch {
        // Another process initialised the keyring concurrently; read theirs.
      }
      terms = await store.loadTerms()
    }
    for (const { term, sealedKey } of terms) {
      try {
        barrier.keys.set(term, open(rootKey, sealedKey, termAad(term)))
      } catch (error) {
        if (error instanceof IntegrityError) throw new SealedError('the root key does not open the keyring')
        throw error
      }
      barrier.activeTerm = Math.max(barrier.activeTerm, term)
    }
    return barrier
  }

  seal(plaintext: Uint8Array, aad: string): Buffer {
    const key = this.keys.get(this.activeTerm)
    if (key === undefined) throw new SealedError('barrier is sealed')
    const header = Buffer.allocUnsafe(HEADER_BYTES)
    header.writeUInt8(FORMAT, 0)
    header.writeUInt32BE(this.activeTerm, 1)
    return Buffer.concat([header, seal(key, plaintext, Buffer.concat([header, Buffer.from(aad, 'utf8')]))])
  }

  open(blob: Uint8Array, aad: string): Buffer {
    const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.length)
    if (buf.length < HEADER_BYTES || buf.readUInt8(0) !== FORMAT)
      throw new IntegrityError('unknown barrier format')
    const key = this.keys.get(buf.readUInt32BE(1))
    if (key === undefined) throw new IntegrityError('unknown barrier term')
    const header = buf.subarray(0, HEADER_BYTES)
    return open(key, buf.subarray(HEADER_BYTES), Buffer.concat([header, Buffer.from(aad, 'utf8')]))
  }
}

function termAad(term: number): Buffer {
  return Buffer.from(`coffer/barrier-key/${term}`, 'utf8')
}
