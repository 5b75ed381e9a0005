import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { Barrier } from '../barrier/barrier.js'
import { keyIdOf } from './chain.js'
import type { AuditStore } from './store.js'

export interface DigestSigner {
  readonly keyId: string
  readonly privateKey: KeyObject
}

const aad = (keyId: string) => `coffer/audit-signing-key/${keyId}`

/**
 * The Ed25519 key that signs digests: generated on first use, its private half sealed by the barrier
 * (bound to its key id), its public half stored in the clear so anyone can verify without the root key.
 */
export async function loadDigestSigner(
  store: Pick<AuditStore, 'signingKey'>,
  barrier: Pick<Barrier, 'seal' | 'open'>,
  now: number,
): Promise<DigestSigner> {
  const record = await store.signingKey(() => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519')
    const publicDer = publicKey.export({ format: 'der', type: 'spki' })
    const keyId = keyIdOf(publicDer)
    const privateDer = privateKey.export({ format: 'der', type: 'pkcs8' })
    return { keyId, publicKey: publicDer, sealedPrivateKey: barrier.seal(privateDer, aad(keyId)) }
  }, now)
  const privateDer = barrier.open(record.sealedPrivateKey, aad(record.keyId))
  try {
    return {
      keyId: record.keyId,
      privateKey: createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' }),
    }
  } finally {
    privateDer.fill(0)
  }
}
