import Database from 'better-sqlite3'
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { KeyObject } from 'node:crypto'
import { keyIdOf, publicKeyFromDer, type Digest } from '../server/audit/chain.js'
import { digestLine, recordLine } from '../server/audit/file-device.js'
import { verifyTrail, type StoredChainRecord, type VerifyReport } from '../server/audit/verify.js'
import { SqliteAuditStore } from '../server/storage/sqlite/audit-store.js'
import { dataPaths } from '../server/bootstrap.js'

const USAGE = `Usage:
  coffer audit verify [--data-dir D] [--from <time|seq>] [--to <time|seq>] [--key <fingerprint>]
  coffer audit verify --file <audit.jsonl> [--data-dir D] [--from …] [--to …]
  coffer audit export [--data-dir D] [--from <time|seq>] [--to <time|seq>] [--out <file>]

verify recomputes the hash chain and checks every digest signature; it names the first bad record
and exits 1 when the trail was altered, 0 when it is intact. It works on a stopped server's data
directory as well as a running one's. --key trusts only that signing key (its fingerprint).
export writes the records (with their chain fields and the digests) as JSONL; verify --file checks it.
`

interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: NodeJS.ProcessEnv
}

/** `coffer audit …`; returns the exit code. */
export function runAuditCommand(argv: readonly string[], io: Io): number {
  const [command, ...rest] = argv
  if (command !== 'verify' && command !== 'export') {
    ;(command === undefined || command === '--help' ? io.out : io.err)(USAGE)
    return command === '--help' ? 0 : 2
  }
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: [...rest],
      options: {
        'data-dir': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        file: { type: 'string' },
        out: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }))
  } catch (error) {
    io.err(`coffer audit: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help === true) {
    io.out(USAGE)
    return 0
  }
  const dataDir = (values['data-dir'] as string | undefined) ?? io.env['COFFER_DATA_DIR'] ?? './coffer-data'
  const dbPath = dataPaths(dataDir).audit
  const file = values.file as string | undefined
  try {
    if (command === 'verify' && file !== undefined) {
      return verifyFile(file, existsSync(dbPath) ? dbPath : undefined, values, io)
    }
    if (!existsSync(dbPath)) {
      io.err(`coffer audit: no database at ${dbPath}\n`)
      return 2
    }
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    try {
      const store = new SqliteAuditStore(db)
      return command === 'verify' ? verifyDatabase(store, values, io) : exportRecords(store, values, io)
    } finally {
      db.close()
    }
  } catch (error) {
    io.err(`coffer audit: ${(error as Error).message}\n`)
    return 2
  }
}

type Bound = { seq: number } | { seconds: number }

/** A seq (digits) or a time (ISO-8601 or anything Date.parse reads). */
function bound(text: string | boolean | undefined, name: string): Bound | undefined {
  if (typeof text !== 'string') return undefined
  if (/^\d+$/.test(text)) return { seq: Number(text) }
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) throw new Error(`--${name} must be a record number or a time, not '${text}'`)
  return { seconds: Math.floor(ms / 1000) }
}

function rangeOf(store: SqliteAuditStore, values: Record<string, unknown>): { from: number; to: number } {
  const from = bound(values['from'] as string | undefined, 'from')
  const to = bound(values['to'] as string | undefined, 'to')
  const first = store.anchor().seq
  return {
    from: Math.max(
      first,
      from === undefined ? first : 'seq' in from ? from.seq : store.seqAtOrAfter(from.seconds),
    ),
    to: to === undefined ? Number.MAX_SAFE_INTEGER : 'seq' in to ? to.seq : store.seqAtOrBefore(to.seconds),
  }
}

function trustedKeys(
  keys: readonly { keyId: string; publicKey: Buffer }[],
  only: string | undefined,
): Map<string, KeyObject> {
  const trusted = new Map<string, KeyObject>()
  for (const { keyId, publicKey } of keys) {
    // A key whose id is not its fingerprint was swapped: trust it for nothing.
    if (keyIdOf(publicKey) !== keyId || (only !== undefined && keyId !== only)) continue
    trusted.set(keyId, publicKeyFromDer(publicKey))
  }
  return trusted
}

function verifyDatabase(store: SqliteAuditStore, values: Record<string, unknown>, io: Io): number {
  const { from, to } = rangeOf(store, values)
  const anchor = store.anchor()
  let start = anchor
  if (from > anchor.seq) {
    const [first] = [...store.records(from, from)]
    start = { seq: from, hash: store.hashBefore(from) ?? first?.prevHash ?? anchor.hash }
  }
  const keys = store.publicKeys()
  const report = verifyTrail({
    records: () => store.records(from, to),
    digests: store.digests(),
    publicKeys: trustedKeys(keys, values['key'] as string | undefined),
    anchor: start,
    ...(to !== Number.MAX_SAFE_INTEGER && { to }),
  })
  return printReport(
    report,
    keys.map((k) => k.keyId),
    io,
  )
}

/** A JSONL trail (the file device or an export): record lines and digest lines. */
function verifyFile(
  path: string,
  dbPath: string | undefined,
  values: Record<string, unknown>,
  io: Io,
): number {
  const records: StoredChainRecord[] = []
  const digests: Digest[] = []
  let expected = 0
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue
    let parsed: {
      seq?: unknown
      prevHash?: unknown
      hash?: unknown
      record?: { eventID?: unknown }
      digest?: Digest
    }
    try {
      parsed = JSON.parse(line) as typeof parsed
    } catch {
      records.push({ seq: ++expected, prevHash: '', hash: 'unreadable line', text: line })
      continue
    }
    if (parsed.digest !== undefined) {
      digests.push(parsed.digest)
      continue
    }
    expected = Number(parsed.seq)
    records.push({
      seq: expected,
      prevHash: String(parsed.prevHash),
      hash: String(parsed.hash),
      text: JSON.stringify(parsed.record),
      ...(typeof parsed.record?.eventID === 'string' && { eventId: parsed.record.eventID }),
    })
  }
  const from = bound(values['from'] as string | undefined, 'from')
  const to = bound(values['to'] as string | undefined, 'to')
  const timeOf = (r: StoredChainRecord) => {
    try {
      return Math.floor(Date.parse((JSON.parse(r.text) as { eventTime: string }).eventTime) / 1000)
    } catch {
      return 0
    }
  }
  const inRange = records.filter(
    (r) =>
      (from === undefined || ('seq' in from ? r.seq >= from.seq : timeOf(r) >= from.seconds)) &&
      (to === undefined || ('seq' in to ? r.seq <= to.seq : timeOf(r) <= to.seconds)),
  )
  const first = inRange[0]
  let keys: { keyId: string; publicKey: Buffer }[] = []
  if (dbPath !== undefined) {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    try {
      keys = new SqliteAuditStore(db).publicKeys()
    } finally {
      db.close()
    }
  } else if (digests.length > 0) {
    io.err('coffer audit: no data directory given: digest signatures cannot be checked (--data-dir)\n')
  }
  const last = inRange.at(-1)
  const report = verifyTrail({
    records: () => inRange,
    digests,
    publicKeys: trustedKeys(keys, values['key'] as string | undefined),
    anchor: first === undefined ? { seq: 1, hash: '' } : { seq: first.seq, hash: first.prevHash },
    ...(to !== undefined && last !== undefined && { to: last.seq }),
    ...(digests[0] !== undefined && { firstDigestSeq: digests[0].digestSeq }),
  })
  return printReport(
    report,
    keys.map((k) => k.keyId),
    io,
  )
}

function printReport(report: VerifyReport, keyIds: readonly string[], io: Io): number {
  const span =
    report.firstSeq === undefined
      ? 'no records'
      : `records ${report.firstSeq}-${report.lastSeq ?? report.firstSeq}`
  io.out(
    `Audit trail: ${span} (${report.recordsChecked} checked), ${report.digestsChecked} digests` +
      (report.unsignedTail > 0
        ? `, ${report.unsignedTail} records after the last digest (not yet signed)`
        : '') +
      '\n',
  )
  for (const keyId of keyIds) io.out(`Signing key: ${keyId}\n`)
  const [first] = report.problems
  if (first === undefined) {
    io.out('Valid: every record matches the chain and every digest verifies.\n')
    return 0
  }
  const id = first.eventId === undefined ? '' : `, eventID ${first.eventId}`
  io.out(`INVALID: first bad record: seq ${first.seq}${id}: ${first.kind} (${first.message})\n`)
  for (const problem of report.problems.slice(1, 20)) {
    const pid = problem.eventId === undefined ? '' : `, eventID ${problem.eventId}`
    io.out(`INVALID: seq ${problem.seq}${pid}: ${problem.kind} (${problem.message})\n`)
  }
  if (report.problems.length > 20) io.out(`… ${report.problems.length - 20} more problems\n`)
  return 1
}

function exportRecords(store: SqliteAuditStore, values: Record<string, unknown>, io: Io): number {
  const { from, to } = rangeOf(store, values)
  const out = values['out'] as string | undefined
  const fd = out === undefined ? undefined : openSync(out, 'w', 0o600)
  const write = fd === undefined ? io.out : (text: string) => void writeSync(fd, text)
  try {
    let count = 0
    for (const r of store.records(from, to)) {
      write(recordLine(r))
      count++
    }
    for (const d of store.digests()) if (d.lastSeq >= from && d.firstSeq <= to) write(digestLine(d))
    if (fd !== undefined) io.err(`exported ${count} records to ${out}\n`)
    return 0
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
