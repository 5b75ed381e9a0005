import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'

/**
 * The tamper-evident form of the trail (docs/audit.md): records in a hash chain, and signed digests
 * over ranges of it, themselves chained by signature (the local analogue of CloudTrail's digest files,
 * reference §6). Pure functions: the writer, the stores and `coffer audit verify` share them.
 */

/** The link before the first record: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64)

/** `hash = SHA-256(prev_hash ‖ record)`: the previous hash's 32 bytes, then the record's JSON text in UTF-8. */
export function chainHash(prevHash: string, recordText: string): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(recordText, 'utf8').digest('hex')
}

/** One record as the chain stores it. */
export interface ChainedRecord {
  readonly seq: number
  readonly prevHash: string
  readonly hash: string
  /** The record's JSON, exactly the text that was hashed. */
  readonly text: string
}

/** What a digest signs: a range of records, the last record's hash, the previous digest's signature. */
export interface DigestFields {
  readonly digestSeq: number
  readonly firstSeq: number
  readonly lastSeq: number
  readonly lastHash: string
  /** Epoch ms. */
  readonly createdAt: number
  /** Hex; `null` for the first digest. */
  readonly previousSignature: string | null
  /** The signing key's fingerprint (`keyIdOf`). */
  readonly keyId: string
}

export interface Digest extends DigestFields {
  /** Ed25519 signature of `digestMessage`, hex. */
  readonly signature: string
}

/** The signed string: one field per line, `null` for an absent previous signature (as CloudTrail does). */
export function digestMessage(d: DigestFields): Buffer {
  return Buffer.from(
    [
      'coffer-audit-digest/1',
      d.digestSeq,
      d.firstSeq,
      d.lastSeq,
      d.lastHash,
      d.createdAt,
      d.previousSignature ?? 'null',
      d.keyId,
    ].join('\n'),
    'utf8',
  )
}

export function signDigest(fields: DigestFields, privateKey: KeyObject): Digest {
  return { ...fields, signature: sign(null, digestMessage(fields), privateKey).toString('hex') }
}

export function digestSignatureValid(digest: Digest, publicKey: KeyObject): boolean {
  try {
    return verify(null, digestMessage(digest), publicKey, Buffer.from(digest.signature, 'hex'))
  } catch {
    return false
  }
}

/** A public key's fingerprint: hex SHA-256 of its SubjectPublicKeyInfo (DER). */
export function keyIdOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('hex')
}

export function publicKeyFromDer(der: Buffer): KeyObject {
  return createPublicKey({ key: der, format: 'der', type: 'spki' })
}
