/** One raw HTTP/1.1 exchange over a fresh TCP connection: exactly the bytes wrk will replay. */
import { connect } from 'node:net'

export interface RawResponse {
  readonly status: number
  /** Header names lower-cased, in arrival order. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: Buffer
  /** Size on the wire, status line and headers included. */
  readonly bytes: number
}

export function exchange(port: number, raw: string, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw))
    let data = Buffer.alloc(0)
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no complete response within ${timeoutMs} ms`)),
    )
    socket.on('error', reject)
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk])
      const end = data.indexOf('\r\n\r\n')
      if (end === -1) return
      const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n')
      const headers = lines.map((line) => {
        const colon = line.indexOf(':')
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const
      })
      const length = Number(headers.find(([name]) => name === 'content-length')?.[1] ?? NaN)
      if (Number.isNaN(length)) return reject(new Error(`no content-length in:\n${statusLine}`))
      if (data.length < end + 4 + length) return
      socket.destroy()
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: data.subarray(end + 4, end + 4 + length),
        bytes: end + 4 + length,
      })
    })
  })
}
