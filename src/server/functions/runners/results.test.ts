import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OUTPUT_LIMIT_BYTES } from '../contract.js'
import { BoundedOutput, timedOut } from './results.js'

function collect(chunks: readonly Uint8Array[]): string {
  const output = new BoundedOutput()
  for (const chunk of chunks) output.append(Buffer.from(chunk))
  return output.text()
}

describe('BoundedOutput', () => {
  it('keeps everything up to the limit, unchanged', () => {
    const text = 'é'.repeat(OUTPUT_LIMIT_BYTES / 2)
    expect(collect([Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10))])).toBe(text)
  })

  it('past the limit: the first bytes, whole characters, and a note, within the limit', () => {
    const text = collect([Buffer.from('€'.repeat(OUTPUT_LIMIT_BYTES))])
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES)
    expect(text).toMatch(/^€+\n\[output truncated: more than 65536 bytes\]\n$/)
  })

  it('never exceeds the limit, whatever arrives (invalid UTF-8 included)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40_000 }), { maxLength: 6 }), (chunks) => {
        const text = collect(chunks)
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES)
        const all = Buffer.concat(chunks)
        if (all.length <= OUTPUT_LIMIT_BYTES / 3) expect(text).toBe(all.toString('utf8'))
      }),
      { numRuns: 50 },
    )
  })
})

describe('timedOut', () => {
  it("uses Lambda's wording", () => {
    expect(timedOut(3)).toEqual({ type: 'Sandbox.Timedout', message: 'Task timed out after 3.00 seconds' })
  })
})
