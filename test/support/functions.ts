import { randomUUID } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type {
  FunctionCode,
  FunctionCredentials,
  Invocation,
  RotationEvent,
} from '../../src/server/functions/contract.js'

export const FUNCTION_FIXTURES = resolve(import.meta.dirname, '../fixtures/functions')

/**
 * A function's code directory outside the repository (no `node_modules` above it, as for the copies Coffer
 * keeps in its data directory), holding `files` (relative path → content) or a copy of a fixture.
 */
export function codeDirectory(source: Readonly<Record<string, string>> | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-fn-code-'))
  if (typeof source === 'string') {
    cpSync(join(FUNCTION_FIXTURES, source), dir, { recursive: true })
    return dir
  }
  for (const [path, content] of Object.entries(source)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

export interface InvocationOptions {
  readonly code: FunctionCode
  readonly event?: Partial<RotationEvent>
  readonly timeoutSeconds?: number
  readonly memoryMb?: number
  readonly credentials?: Omit<FunctionCredentials, 'expiration'>
  readonly endpoint?: string
  readonly region?: string
}

export function invocation(options: InvocationOptions): Invocation {
  const region = options.region ?? 'us-east-1'
  const name = `fn-${randomUUID().slice(0, 8)}`
  return {
    fn: {
      arn: `arn:aws:lambda:${region}:000000000000:function:${name}`,
      accountId: '000000000000',
      region,
      name,
      roleArn: 'arn:aws:iam::000000000000:role/rotation',
      timeoutSeconds: options.timeoutSeconds ?? 30,
      memoryMb: options.memoryMb ?? 128,
      code: options.code,
    },
    event: {
      Step: 'createSecret',
      SecretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:example-AbCdEf',
      ClientRequestToken: randomUUID(),
      RotationToken: randomUUID(),
      ...options.event,
    },
    requestId: randomUUID(),
    credentials: {
      accessKeyId: 'AKIAEXAMPLEEXAMPLE00',
      secretAccessKey: 'example-secret-access-key',
      sessionToken: '',
      ...options.credentials,
      expiration: new Date(Date.now() + 3_600_000),
    },
    endpoint: options.endpoint ?? 'http://127.0.0.1:9',
  }
}
