import { OUTPUT_LIMIT_BYTES } from '../contract.js'

/** Lambda's error for an invocation that ran past the function's timeout. */
export function timedOut(timeoutSeconds: number): { type: string; message: string } {
  return { type: 'Sandbox.Timedout', message: `Task timed out after ${timeoutSeconds.toFixed(2)} seconds` }
}

const TRUNCATED = `\n[output truncated: more than ${OUTPUT_LIMIT_BYTES} bytes]\n`

/**
 * What a function printed, in arrival order, keeping the first OUTPUT_LIMIT_BYTES. `text()` is at most
 * OUTPUT_LIMIT_BYTES of UTF-8, ending with a note when something was dropped.
 */
export class BoundedOutput {
  private readonly chunks: Buffer[] = []
  private kept = 0
  private overflowed = false

  /** True once more than the limit arrived: further output is dropped. */
  get full(): boolean {
    return this.overflowed
  }

  append(chunk: Buffer): void {
    // One byte past the limit is enough to know the output overflowed.
    const room = OUTPUT_LIMIT_BYTES + 1 - this.kept
    if (room <= 0) return
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk
    this.chunks.push(Buffer.from(part))
    this.kept += part.length
    if (this.kept > OUTPUT_LIMIT_BYTES) this.overflowed = true
  }

  text(): string {
    const whole = Buffer.concat(this.chunks).toString('utf8')
    // Invalid UTF-8 decodes to U+FFFD (3 bytes), so the decoded text can be longer than the bytes kept.
    if (!this.overflowed && Buffer.byteLength(whole) <= OUTPUT_LIMIT_BYTES) return whole
    return utf8Prefix(whole, OUTPUT_LIMIT_BYTES - Buffer.byteLength(TRUNCATED)) + TRUNCATED
  }
}

function utf8Prefix(text: string, maxBytes: number): string {
  let prefix = Buffer.from(text).subarray(0, maxBytes).toString('utf8')
  while (Buffer.byteLength(prefix) > maxBytes) prefix = prefix.slice(0, -1)
  return prefix
}
