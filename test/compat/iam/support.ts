/**
 * Shared helpers of the IAM compatibility suites: the AWS CLI (`/usr/bin/aws iam …`) and the JS SDK
 * client against one test server, unique names, and AWS error assertions.
 */
import { IAMClient, IAMServiceException, type IAMClientConfig } from '@aws-sdk/client-iam'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { TestServer } from '../../support/server.js'
import { CliFailure, cliEnvironment, runAws, type CliResult } from '../cli/aws-cli.js'

/** A name no other test uses; IAM names allow `[\w+=,.@-]`. */
export function iamName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

/** The JS SDK's IAM client with the administrator's credentials. */
export function iamClient(
  server: TestServer,
  credentials?: { accessKeyId: string; secretAccessKey: string },
  requestHandler?: IAMClientConfig['requestHandler'],
) {
  return new IAMClient({
    ...(requestHandler !== undefined && { requestHandler }),
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: credentials ?? {
      accessKeyId: server.credentials.accessKeyId,
      secretAccessKey: server.credentials.secretAccessKey,
    },
    maxAttempts: 1,
  })
}

/** Wire codes of IAM's modelled errors: the SDK names these `<Code>Exception`, any other by its code. */
const MODELLED = new Set([
  'ConcurrentModification',
  'DeleteConflict',
  'EntityAlreadyExists',
  'InvalidInput',
  'LimitExceeded',
  'MalformedPolicyDocument',
  'NoSuchEntity',
  'PolicyNotAttachable',
  'UnmodifiableEntity',
])

/**
 * Expects the AWS error with wire `code` (a RegExp for codes that may vary) and HTTP `status` and, when
 * given, the exact message or a pattern.
 */
export async function expectIamError(
  promise: Promise<unknown>,
  code: string | RegExp,
  status: number,
  message?: string | RegExp,
): Promise<void> {
  const error: unknown = await promise.then(
    (value) => {
      throw new Error(`expected ${code}, but the call succeeded: ${JSON.stringify(value)}`)
    },
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(IAMServiceException)
  const e = error as IAMServiceException
  const name = typeof code === 'string' && MODELLED.has(code) ? `${code}Exception` : code
  expect({ name: e.name, status: e.$metadata.httpStatusCode }).toEqual({
    name: typeof name === 'string' ? name : expect.stringMatching(name),
    status,
  })
  if (typeof message === 'string') expect(e.message).toBe(message)
  else if (message !== undefined) expect(e.message).toMatch(message)
}

/** `aws iam <args> --endpoint-url <endpoint> --output json` against one test server. */
export class IamCli {
  readonly home: string
  /** Number of CLI processes started, to keep the suite's cost visible. */
  invocations = 0

  constructor(readonly server: TestServer) {
    this.home = mkdtempSync(join(tmpdir(), 'coffer-iam-cli-'))
  }

  /** Writes a JSON document next to the CLI's home and returns its `file://` reference. */
  file(name: string, document: unknown): string {
    const path = join(this.home, name)
    writeFileSync(path, typeof document === 'string' ? document : JSON.stringify(document))
    return `file://${path}`
  }

  raw(args: readonly string[]): Promise<CliResult> {
    this.invocations++
    const full = ['iam', ...args, '--endpoint-url', this.server.endpoint, '--output', 'json']
    return runAws(full, cliEnvironment(this.server, this.home))
  }

  /** Expects exit 0 and parses stdout (`{}` for commands that print nothing). */
  async json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
    const result = await this.raw(args)
    if (result.code !== 0) throw new CliFailure(args, result)
    return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T
  }

  /** Expects an AWS service error and returns its code and message. */
  async error(...args: string[]): Promise<{ code: string; message: string }> {
    const result = await this.raw(args)
    if (result.code === 0)
      throw new Error(`aws iam ${args.join(' ')} succeeded unexpectedly: ${result.stdout}`)
    const match = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)$/m.exec(
      result.stderr,
    )
    if (!match) throw new CliFailure(args, result)
    return { code: match[1] ?? '', message: (match[2] ?? '').trim() }
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true })
  }
}

export const ALLOW_S3 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
}

export const TRUST_EC2 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
}

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess'
