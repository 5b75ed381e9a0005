/** A bare node:http server answering every request with the bytes Coffer answered one request with. */
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { CannedResponse } from '../bare-server.js'
import { startProcess, stopProcess, waitForOutput, type Proc } from '../lib/processes.js'
import type { RawResponse } from '../lib/raw-http.js'

export type Bare = Proc & { readonly port: number }

/** Starts `bare-server.ts` (one process, pinned like the server under test) canned with `answer`. */
export async function startBare(
  workDir: string,
  name: string,
  answer: RawResponse,
  cpus?: string,
): Promise<Bare> {
  const automatic = new Set(['date', 'connection', 'keep-alive', 'content-length'])
  const headers: Record<string, string> = {}
  for (const [header, value] of answer.headers) if (!automatic.has(header)) headers[header] = value
  const file = join(workDir, `bare-${name}.json`)
  const canned: CannedResponse = { headers, body: answer.body.toString('base64') }
  writeFileSync(file, JSON.stringify(canned))
  const script = resolve(import.meta.dirname, '../bare-server.ts')
  const proc = startProcess(
    `bare-${name}`,
    process.execPath,
    ['--import', 'tsx', script, '--response', file],
    cpus,
  )
  try {
    const [, port = ''] = await waitForOutput(proc, /listening on http:\/\/127\.0\.0\.1:(\d+)/)
    return Object.assign(proc, { port: Number(port) })
  } catch (error) {
    await stopProcess(proc)
    throw error
  }
}
