import { KmsInvalidCiphertextError } from './errors.js'

/**
 * Coffer's KMS ciphertext blob: format (1) | key id (16, UUID bytes) | material id (32) | AEAD output.
 * It names its key and key material, so Decrypt needs no KeyId and keeps working after rotation.
 */
const FORMAT = 1
const KEY_ID_BYTES = 16
const MATERIAL_ID_BYTES = 32
export const CIPHERTEXT_HEADER_BYTES = 1 + KEY_ID_BYTES + MATERIAL_ID_BYTES

export interface CiphertextHeader {
  readonly keyId: string
  readonly materialId: string
  /** The header bytes, bound into the AEAD associated data. */
  readonly bytes: Buffer
}

export function encodeHeader(keyId: string, materialId: string): Buffer {
  const header = Buffer.alloc(CIPHERTEXT_HEADER_BYTES)
  header.writeUInt8(FORMAT, 0)
  Buffer.from(keyId.replaceAll('-', ''), 'hex').copy(header, 1)
  Buffer.from(materialId, 'hex').copy(header, 1 + KEY_ID_BYTES)
  return header
}

export function decodeHeader(blob: Uint8Array): CiphertextHeader {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.length)
  if (buf.length <= CIPHERTEXT_HEADER_BYTES || buf.readUInt8(0) !== FORMAT)
    throw new KmsInvalidCiphertextError()
  const hex = buf.toString('hex', 1, 1 + KEY_ID_BYTES)
  const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  const materialId = buf.toString('hex', 1 + KEY_ID_BYTES, CIPHERTEXT_HEADER_BYTES)
  return { keyId, materialId, bytes: buf.subarray(0, CIPHERTEXT_HEADER_BYTES) }
}
