import { BUILTIN_FUNCTIONS, type BuiltinName, type FunctionDefinition } from './contract.js'

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` (Lambda's own ARN rules). */
const FUNCTION_ARN =
  /^arn:aws:lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/

export interface FunctionArn {
  readonly region: string
  readonly accountId: string
  readonly name: string
  readonly qualifier?: string
}

export function parseFunctionArn(arn: string): FunctionArn | undefined {
  const m = FUNCTION_ARN.exec(arn)
  if (m === null) return undefined
  const [, region = '', accountId = '', name = '', qualifier] = m
  return { region, accountId, name, ...(qualifier !== undefined && { qualifier }) }
}

export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`
}

/** The execution role built-in rotators run with in each account (created on first use). */
export const BUILTIN_ROLE_NAME = 'coffer-rotation'

export function isBuiltinName(name: string): name is BuiltinName {
  return (BUILTIN_FUNCTIONS as readonly string[]).includes(name)
}

/** The built-in an ARN names (any account, any region; `$LATEST` or no qualifier), or undefined. */
export function builtinFunction(arn: string): FunctionDefinition | undefined {
  const parsed = parseFunctionArn(arn)
  if (parsed === undefined || !isBuiltinName(parsed.name)) return undefined
  if (parsed.qualifier !== undefined && parsed.qualifier !== '$LATEST') return undefined
  return {
    arn: functionArn(parsed.region, parsed.accountId, parsed.name),
    accountId: parsed.accountId,
    region: parsed.region,
    name: parsed.name,
    roleArn: `arn:aws:iam::${parsed.accountId}:role/${BUILTIN_ROLE_NAME}`,
    timeoutSeconds: 60,
    memoryMb: 128,
    code: { kind: 'builtin', name: parsed.name },
  }
}
