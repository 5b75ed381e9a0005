import type { Barrier } from '../barrier/barrier.js'
import type { CodePackages } from './code.js'
import type { FunctionCode, FunctionDefinition, FunctionRegistry } from './contract.js'
import { builtinFunction, functionArn, parseFunctionArn } from './functions.js'
import { signingKeyAad, type FunctionRecord, type FunctionStore } from './store.js'

export interface FunctionsDeps {
  readonly store: Pick<FunctionStore, 'find'>
  readonly barrier: Pick<Barrier, 'open'>
  readonly packages: Pick<CodePackages, 'path'>
}

/**
 * Where rotation functions are found. Built-ins first: they exist in every account and region. Then
 * the registered functions, by exact ARN with no qualifier or `:$LATEST` (Coffer keeps no versions or
 * aliases, so any other qualifier names nothing). Reads the store on every call: a function created,
 * changed or deleted (by the CLI, even in another process) counts at the next lookup.
 */
export class Functions implements FunctionRegistry {
  constructor(private readonly deps: FunctionsDeps) {}

  async find(arn: string): Promise<FunctionDefinition | undefined> {
    const builtin = builtinFunction(arn)
    if (builtin !== undefined) return builtin
    const parsed = parseFunctionArn(arn)
    if (parsed === undefined) return undefined
    if (parsed.qualifier !== undefined && parsed.qualifier !== '$LATEST') return undefined
    const record = await this.deps.store.find(functionArn(parsed.region, parsed.accountId, parsed.name))
    return record === undefined ? undefined : functionDefinition(record, this.deps)
  }
}

/** A stored function as runners see it: the package's absolute path, the signing key unsealed. */
export function functionDefinition(
  record: FunctionRecord,
  deps: Pick<FunctionsDeps, 'barrier' | 'packages'>,
): FunctionDefinition {
  const stored = record.code
  const code: FunctionCode =
    stored.kind === 'http'
      ? {
          kind: 'http',
          url: stored.url,
          signingKey: deps.barrier.open(stored.sealedSigningKey, signingKeyAad(record.arn)),
        }
      : {
          kind: 'process',
          runtime: stored.runtime,
          handler: stored.handler,
          codeDir: deps.packages.path(record, stored.codeId),
          environment: stored.environment,
        }
  return {
    arn: record.arn,
    accountId: record.accountId,
    region: record.region,
    name: record.name,
    roleArn: record.roleArn,
    timeoutSeconds: record.timeoutSeconds,
    memoryMb: record.memoryMb,
    code,
  }
}
