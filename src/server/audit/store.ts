import type { ChainedRecord, Digest } from './chain.js'
import type { LookupResource } from './record.js'
import type { StoredChainRecord } from './verify.js'

/** What LookupEvents filters on, kept next to each record (not part of what the chain hashes). */
export interface AuditIndex {
  readonly eventId: string
  /** Epoch seconds (the record's eventTime). */
  readonly eventTime: number
  /** The account whose trail holds the record (recipientAccountId). */
  readonly accountId: string
  readonly eventSource: string
  readonly eventName: string
  readonly readOnly: boolean
  readonly username: string | undefined
  readonly accessKeyId: string | undefined
  readonly resources: readonly LookupResource[]
}

export interface IndexedRecord extends ChainedRecord {
  readonly index: AuditIndex
}

/** The end of the chain as an append finds it. */
export interface ChainTail {
  /** The last record's seq (the purge boundary, or 0, when there is none). */
  readonly seq: number
  readonly hash: string
  readonly lastDigest: Digest | undefined
}

/**
 * What one append stores: records continuing the chain, maybe a digest. `undo` reverses the plan's side
 * effects when the commit fails; `sync` makes them durable after it (awaited before the append resolves).
 */
export interface AppendPlan {
  readonly records: readonly IndexedRecord[]
  readonly digest?: Digest
  readonly undo?: () => void
  readonly sync?: () => Promise<void>
}

/** A committed append: `durable` resolves once it (and the plan's `sync`) is on stable storage. */
export interface Appended {
  readonly durable: Promise<void>
}

/**
 * Where the chain is kept. Contract: `append` runs `plan` with the real tail inside one exclusive write
 * transaction, commits what it returns and resolves; concurrent appenders (other processes) take
 * turns, so the chain stays one chain. On any failure before the commit nothing is stored, `undo`
 * runs and the promise rejects. `durable` rejects when the committed append could not be made durable.
 */
export interface AuditChainStore {
  append(plan: (tail: ChainTail) => AppendPlan): Promise<Appended>
  /** Releases what appends keep open (the database itself stays open). */
  close?(): Promise<void>
}

export interface SigningKeyRecord {
  readonly keyId: string
  /** SubjectPublicKeyInfo, DER. */
  readonly publicKey: Buffer
  /** PKCS#8 DER sealed by the barrier. */
  readonly sealedPrivateKey: Buffer
}

/** The database device: the chain plus its signing keys, retention and queries. */
export interface AuditStore extends AuditChainStore {
  /** The newest signing key; `create()` makes one when there is none (one process wins a race). */
  signingKey(create: () => SigningKeyRecord, now: number): Promise<SigningKeyRecord>
  /**
   * Deletes the records of digests made before `beforeSeconds` (so every record deleted is older),
   * whole digest ranges only, so the first remaining record still links to a signed hash. Returns how
   * many were deleted.
   */
  purge(beforeSeconds: number): Promise<number>
}

export interface LookupQuery {
  readonly accountId: string
  /** Epoch seconds, inclusive. */
  readonly start: number
  readonly end: number
  readonly attribute?: { readonly key: string; readonly value: string }
  /** Only records with seq below this (pagination). */
  readonly beforeSeq?: number
  readonly limit: number
}

export interface LookupRow {
  readonly seq: number
  readonly text: string
  readonly index: AuditIndex
}

/** Reads of the stored trail: LookupEvents, `coffer audit verify` and `export`. */
export interface AuditReader {
  /** Newest first. */
  lookup(query: LookupQuery): LookupRow[]
  /** Where the stored chain starts: the first seq and the hash it links to. */
  anchor(): { seq: number; hash: string }
  /** The record stored before `seq` (its hash anchors a partial verification), or undefined. */
  hashBefore(seq: number): string | undefined
  /** Records with `from <= seq <= to`, ascending, with index columns checked against the record. */
  records(from: number, to: number): Iterable<StoredChainRecord>
  /** The first seq whose eventTime is at or after `seconds` (for `--from <time>`). */
  seqAtOrAfter(seconds: number): number
  /** The last seq whose eventTime is at or before `seconds`. */
  seqAtOrBefore(seconds: number): number
  digests(): Digest[]
  publicKeys(): { keyId: string; publicKey: Buffer }[]
}
