import {
  closeSync,
  fdatasync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  constants,
} from 'node:fs'
import { dirname } from 'node:path'
import { GENESIS_HASH, type Digest } from './chain.js'
import type { ChainTail, IndexedRecord } from './store.js'

export interface AuditFileOptions {
  readonly path: string
  /** Rotate before a write would make the file larger than this. */
  readonly maxBytes: number
  /** Rotated files kept (`<path>.1` newest … `<path>.<keep>`). */
  readonly keep: number
}

/** One JSONL line per record, carrying its place in the chain, so the file verifies on its own. */
export function recordLine(r: { seq: number; prevHash: string; hash: string; text: string }): string {
  return `{"seq":${r.seq},"prevHash":"${r.prevHash}","hash":"${r.hash}","record":${r.text}}\n`
}

export function digestLine(digest: Digest): string {
  return `${JSON.stringify({ digest })}\n`
}

/**
 * The `file` audit device: JSONL, appended while the chain's write lock is held (so lines from several
 * processes come in chain order), cut back if the commit fails, fsynced (off the event loop) before
 * the batch's requests are answered. Size-based rotation keeps `keep` older files.
 */
export class AuditFile {
  private fd: number

  constructor(private readonly options: AuditFileOptions) {
    mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 })
    this.fd = this.open()
  }

  /** Appends the batch; returns what undoes it and what makes it durable. */
  append(
    records: readonly IndexedRecord[],
    digest: Digest | undefined,
  ): { undo: () => void; sync: () => Promise<void> } {
    let text = ''
    for (const r of records) text += recordLine(r)
    if (digest !== undefined) text += digestLine(digest)
    const bytes = Buffer.from(text, 'utf8')
    this.reopenIfMoved()
    let size = fstatSync(this.fd).size
    if (size > 0 && size + bytes.length > this.options.maxBytes) {
      this.rotate()
      size = 0
    }
    writeSync(this.fd, bytes)
    const fd = this.fd
    return {
      undo: () => ftruncateSync(fd, size),
      sync: () =>
        new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve()))),
    }
  }

  /** The chain's tail as the file holds it (for a trail kept without the database device). */
  tail(): ChainTail {
    let seq = 0
    let hash = GENESIS_HASH
    let lastDigest: Digest | undefined
    for (const line of lastLines(this.options.path)) {
      try {
        const parsed = JSON.parse(line) as { seq?: number; hash?: string; digest?: Digest }
        if (parsed.digest !== undefined) lastDigest = parsed.digest
        else if (typeof parsed.seq === 'number' && typeof parsed.hash === 'string') {
          seq = parsed.seq
          hash = parsed.hash
        }
      } catch {
        // A torn last line (crash mid-write) was never acknowledged; the next append follows the line before.
      }
    }
    return { seq, hash, lastDigest }
  }

  /**
   * Cuts off lines past the chain's committed tail: a process killed between writing a batch here
   * and committing it left lines that were never acknowledged (and whose seqs the chain reuses).
   * Looks at the last MiB, where an unfinished batch sits. Call with the chain's write lock held.
   */
  dropAfter(tail: Pick<ChainTail, 'seq'> & { readonly digestSeq: number }): void {
    const size = fstatSync(this.fd).size
    const length = Math.min(size, 1024 * 1024)
    if (length === 0) return
    const buffer = Buffer.alloc(length)
    const fd = openSync(this.options.path, 'r')
    try {
      readSync(fd, buffer, 0, length, size - length)
    } finally {
      closeSync(fd)
    }
    let end = length
    while (end > 0) {
      const start = buffer.lastIndexOf(0x0a, end - 2) + 1
      if (start === 0 && size > length) break
      const line = buffer.subarray(start, end).toString('utf8')
      if (!beyond(line, tail)) break
      end = start
    }
    if (end < length) ftruncateSync(this.fd, size - length + end)
  }

  close(): void {
    closeSync(this.fd)
  }

  private open(): number {
    return openSync(this.options.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600)
  }

  /** Another process rotated the file: write to the new one. */
  private reopenIfMoved(): void {
    let current: number | undefined
    try {
      current = statSync(this.options.path).ino
    } catch {
      current = undefined
    }
    if (current !== fstatSync(this.fd).ino) {
      closeSync(this.fd)
      this.fd = this.open()
    }
  }

  private rotate(): void {
    const { path, keep } = this.options
    closeSync(this.fd)
    rmSync(`${path}.${keep}`, { force: true })
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${path}.${i}`, `${path}.${i + 1}`)
      } catch {
        // not there yet
      }
    }
    if (keep > 0) renameSync(path, `${path}.1`)
    else rmSync(path, { force: true })
    this.fd = this.open()
  }
}

/** A line written after the committed tail (or torn). */
function beyond(line: string, tail: { readonly seq: number; readonly digestSeq: number }): boolean {
  try {
    const parsed = JSON.parse(line) as { seq?: number; digest?: { digestSeq?: number } }
    if (parsed.digest !== undefined) return (parsed.digest.digestSeq ?? 0) > tail.digestSeq
    return (parsed.seq ?? 0) > tail.seq
  } catch {
    return true
  }
}

/**
 * The complete lines at the end of a file: a window from the end, doubled until it holds a whole
 * record line (records can be up to a few hundred KiB) or the whole file.
 */
function lastLines(path: string): string[] {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    for (let length = Math.min(size, 64 * 1024); ; length = Math.min(size, length * 2)) {
      const buffer = Buffer.alloc(length)
      readSync(fd, buffer, 0, length, size - length)
      const lines = buffer.toString('utf8').split('\n')
      if (size > length) lines.shift()
      const complete = lines.filter((line) => line.length > 0)
      if (length === size || complete.some((line) => line.startsWith('{"seq":'))) return complete
    }
  } finally {
    closeSync(fd)
  }
}
