/**
 * The two servers the GetSecretValue benchmark compares: Coffer holding one secret, and the bare
 * node:http server answering with the very bytes Coffer answers with.
 */
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { CannedResponse } from '../bare-server.js'
import { startCoffer, type Coffer } from './coffer.js'
import { startProcess, stopProcess, waitForOutput, type Proc } from './processes.js'
import { exchange, type RawResponse } from './raw-http.js'
import { sdkClient, signedGetSecretValue } from './sign.js'

export const SECRET_ID = 'bench/secret'

/** A realistic database credential, ~200 bytes of JSON. */
export const SECRET_VALUE = JSON.stringify({
  engine: 'postgres',
  host: 'orders-db.cluster-c9akciq32xyz.eu-west-1.rds.amazonaws.com',
  port: 5432,
  username: 'orders_app',
  password: 'x7#Qe!v2Lr9@tZp4Wm8^Ks3NbY6',
  dbname: 'orders',
  sslmode: 'require',
})

export interface Target {
  readonly name: string
  readonly pid: number
  readonly port: number
}

export interface Pair {
  readonly coffer: Coffer
  readonly bare: Proc & Target
  /** Coffer's GetSecretValue response body: every replayed response must carry exactly these bytes. */
  readonly expectedBody: string
  /** Response sizes on the wire (headers included), to show the two answers are the same size. */
  readonly wireBytes: { readonly coffer: number; readonly bare: number }
}

/** Starts Coffer, stores the secret, captures the answer, then starts the bare server answering the same. */
export async function startPair(
  workDir: string,
  options: { readonly workers: number; readonly cpus?: string; readonly cpuProfileDir?: string },
): Promise<Pair> {
  const profile = (name: string) =>
    options.cpuProfileDir === undefined
      ? []
      : ['--cpu-prof', '--cpu-prof-dir', join(options.cpuProfileDir, name), '--cpu-prof-interval', '250']
  const coffer = await startCoffer({ ...options, nodeArgs: profile('coffer') })
  try {
    return await prepare(coffer, workDir, options.workers, options.cpus, profile('bare'))
  } catch (error) {
    await coffer.stop()
    throw error
  }
}

async function prepare(
  coffer: Coffer,
  workDir: string,
  workers: number,
  cpus: string | undefined,
  bareNodeArgs: readonly string[],
): Promise<Pair> {
  const client = sdkClient(coffer.endpoint, coffer.credentials)
  try {
    await client.send(new CreateSecretCommand({ Name: SECRET_ID, SecretString: SECRET_VALUE }))
  } finally {
    client.destroy()
  }
  const [raw] = await signedGetSecretValue(coffer.endpoint, coffer.credentials, SECRET_ID, 1)
  const answer = await exchange(coffer.port, raw as string)
  if (answer.status !== 200)
    throw new Error(`GetSecretValue answered ${answer.status}: ${answer.body.toString()}`)

  const responseFile = join(workDir, `response-${coffer.port}.json`)
  writeFileSync(responseFile, JSON.stringify(cannedFrom(answer)))
  const bare = await startBare(responseFile, workers, cpus, bareNodeArgs)
  const bareAnswer = await exchange(bare.port, raw as string)
  if (bareAnswer.status !== 200 || !bareAnswer.body.equals(answer.body)) {
    await stopProcess(bare)
    throw new Error('bare server answers differently')
  }
  return {
    coffer,
    bare,
    expectedBody: answer.body.toString('utf8'),
    wireBytes: { coffer: answer.bytes, bare: bareAnswer.bytes },
  }
}

/** Coffer's headers minus those node:http adds by itself (Date, Connection, Keep-Alive, Content-Length). */
function cannedFrom(answer: RawResponse): CannedResponse {
  const automatic = new Set(['date', 'connection', 'keep-alive', 'content-length'])
  const headers: Record<string, string> = {}
  for (const [name, value] of answer.headers) if (!automatic.has(name)) headers[name] = value
  return { headers, body: answer.body.toString('base64') }
}

async function startBare(
  responseFile: string,
  workers: number,
  cpus: string | undefined,
  nodeArgs: readonly string[],
): Promise<Proc & Target> {
  const script = resolve(import.meta.dirname, '../bare-server.ts')
  const args = [
    ...nodeArgs,
    '--import',
    'tsx',
    script,
    '--response',
    responseFile,
    '--workers',
    String(workers),
  ]
  const proc = startProcess('bare', process.execPath, args, cpus)
  try {
    const [, port = ''] = await waitForOutput(proc, /listening on http:\/\/127\.0\.0\.1:(\d+)/)
    return Object.assign(proc, { port: Number(port) })
  } catch (error) {
    await stopProcess(proc)
    throw error
  }
}
