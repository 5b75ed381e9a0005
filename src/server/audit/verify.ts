import type { KeyObject } from 'node:crypto'
import { chainHash, digestSignatureValid, type ChainedRecord, type Digest } from './chain.js'

/** A stored record with what the store keeps next to it. */
export interface StoredChainRecord extends ChainedRecord {
  readonly eventId?: string
  /** Set when the store's index columns (event id, name, time) disagree with the hashed record. */
  readonly indexMismatch?: string
}

export interface VerifyInput {
  /** The records of the checked range in stored order. Iterated twice. */
  readonly records: () => Iterable<StoredChainRecord>
  /** Every digest in stored order. */
  readonly digests: readonly Digest[]
  readonly publicKeys: ReadonlyMap<string, KeyObject>
  /** The first record expected and the hash it must link to (genesis, the purge boundary or the record before `--from`). */
  readonly anchor: { readonly seq: number; readonly hash: string }
  /** Last seq of the checked range; absent = up to the end of the trail. */
  readonly to?: number
  /** The number the first listed digest must have (1 unless earlier digests are elsewhere, e.g. a rotated file). */
  readonly firstDigestSeq?: number
}

export type ProblemKind =
  | 'altered'
  | 'missing'
  | 'reordered'
  | 'broken-link'
  | 'digest-signature'
  | 'digest-chain'
  | 'digest-mismatch'

export interface Problem {
  readonly kind: ProblemKind
  /** The first record concerned. */
  readonly seq: number
  readonly eventId?: string
  readonly digestSeq?: number
  /** The last record of a digest's range. */
  readonly lastSeq?: number
  readonly message: string
}

export interface VerifyReport {
  readonly ok: boolean
  readonly recordsChecked: number
  readonly digestsChecked: number
  readonly firstSeq: number | undefined
  readonly lastSeq: number | undefined
  /** Records after the last digest: chained but not yet signed. */
  readonly unsignedTail: number
  /** Sorted by seq: the first one names the first bad record. */
  readonly problems: readonly Problem[]
}

/**
 * Recomputes the hash chain and checks every digest: signature, chain of signatures, coverage and the
 * hash it signed. Problems are classified as the reference's validator does (§6): a record whose
 * content no longer matches its hash is altered; a gap in seq is a removal; a record out of place is
 * reordered; a link to a hash that exists nowhere is a removal or a rewrite; a digest that does not
 * verify, or that signed another hash than the trail now holds, names its range.
 */
export function verifyTrail(input: VerifyInput): VerifyReport {
  const positions = new Map<number, number>()
  const hashAt = new Map<number, string>()
  const hashPositions = new Map<string, number>()
  let index = 0
  for (const r of input.records()) {
    if (!positions.has(r.seq)) positions.set(r.seq, index)
    hashAt.set(r.seq, r.hash)
    hashPositions.set(r.hash, index)
    index++
  }
  const problems: Problem[] = []
  const add = (problem: Problem) => problems.push(problem)
  let expectedSeq = input.anchor.seq
  let expectedPrev = input.anchor.hash
  let firstSeq: number | undefined
  let lastSeq: number | undefined
  let position = 0
  for (const r of input.records()) {
    firstSeq ??= r.seq
    lastSeq = Math.max(lastSeq ?? r.seq, r.seq)
    const ids = r.eventId === undefined ? {} : { eventId: r.eventId }
    if (chainHash(r.prevHash, r.text) !== r.hash) {
      add({ kind: 'altered', seq: r.seq, ...ids, message: 'its content does not match its hash' })
    } else if (r.indexMismatch !== undefined) {
      add({ kind: 'altered', seq: r.seq, ...ids, message: r.indexMismatch })
    } else if (r.seq !== expectedSeq) {
      const later = (positions.get(expectedSeq) ?? -1) > position
      if (r.seq < expectedSeq || later) {
        add({
          kind: 'reordered',
          seq: Math.min(r.seq, expectedSeq),
          ...ids,
          message: `record ${r.seq} stands where record ${expectedSeq} belongs`,
        })
      } else {
        const range = r.seq - 1 === expectedSeq ? `${expectedSeq}` : `${expectedSeq}-${r.seq - 1}`
        add({ kind: 'missing', seq: expectedSeq, message: `record ${range} removed before record ${r.seq}` })
      }
    } else if (r.prevHash !== expectedPrev) {
      const linked = hashPositions.get(r.prevHash)
      if (linked !== undefined && linked > position) {
        add({
          kind: 'reordered',
          seq: r.seq,
          ...ids,
          message: 'it links to a record stored after it (records swapped)',
        })
      } else {
        add({
          kind: 'broken-link',
          seq: r.seq,
          ...ids,
          message: `the chain breaks before it: a record was removed there, or record ${r.seq - 1} was rewritten`,
        })
      }
    }
    expectedSeq = r.seq + 1
    expectedPrev = r.hash
    position++
  }
  const maxSeq = lastSeq ?? input.anchor.seq - 1
  const to = input.to ?? Number.POSITIVE_INFINITY
  let previous: Digest | undefined
  for (const d of input.digests) {
    const key = input.publicKeys.get(d.keyId)
    const where = { seq: d.firstSeq, digestSeq: d.digestSeq, lastSeq: d.lastSeq }
    const range = `digest ${d.digestSeq} (records ${d.firstSeq}-${d.lastSeq})`
    if (key === undefined) {
      add({ kind: 'digest-signature', ...where, message: `${range} is signed by an unknown key ${d.keyId}` })
    } else if (!digestSignatureValid(d, key)) {
      add({ kind: 'digest-signature', ...where, message: `${range}: signature verification failed` })
    }
    const expectedDigest = previous === undefined ? (input.firstDigestSeq ?? 1) : previous.digestSeq + 1
    if (d.digestSeq !== expectedDigest) {
      add({ kind: 'digest-chain', ...where, message: `${range}: digest ${expectedDigest} is missing` })
    } else if (previous !== undefined && d.previousSignature !== previous.signature) {
      add({
        kind: 'digest-chain',
        ...where,
        message: `${range} does not carry digest ${previous.digestSeq}'s signature`,
      })
    } else if (previous !== undefined && d.firstSeq !== previous.lastSeq + 1) {
      add({
        kind: 'digest-chain',
        ...where,
        message: `${range} does not follow digest ${previous.digestSeq}`,
      })
    } else if (previous === undefined && d.digestSeq === 1 && d.previousSignature !== null) {
      add({
        kind: 'digest-chain',
        ...where,
        message: `${range} is the first digest but names a previous one`,
      })
    }
    const held = hashAt.get(d.lastSeq)
    if (held !== undefined && held !== d.lastHash) {
      add({
        kind: 'digest-mismatch',
        ...where,
        message: `${range}: the trail no longer holds the records it signed (rewritten in this range or before)`,
      })
    } else if (held === undefined && d.lastSeq >= input.anchor.seq && d.lastSeq <= to && d.lastSeq > maxSeq) {
      add({
        kind: 'missing',
        seq: maxSeq + 1,
        digestSeq: d.digestSeq,
        message: `records ${maxSeq + 1}-${d.lastSeq}, signed by digest ${d.digestSeq}, are missing`,
      })
    }
    if (d.lastSeq === input.anchor.seq - 1 && d.lastHash !== input.anchor.hash) {
      add({
        kind: 'digest-mismatch',
        ...where,
        message: `${range}: the trail's starting point no longer matches what this digest signed`,
      })
    }
    previous = d
  }
  // A digest that no longer matches names its range, but a record-level problem inside it says more.
  const order = (p: Problem) => (p.kind === 'digest-mismatch' ? (p.lastSeq ?? p.seq) : p.seq)
  problems.sort((a, b) => order(a) - order(b))
  return {
    ok: problems.length === 0,
    recordsChecked: position,
    digestsChecked: input.digests.length,
    firstSeq,
    lastSeq,
    unsignedTail: Math.max(0, maxSeq - Math.max(previous?.lastSeq ?? 0, input.anchor.seq - 1)),
    problems,
  }
}
