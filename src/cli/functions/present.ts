import type { FunctionRecord } from '../../server/functions/store.js'

/**
 * A function as `coffer functions get/list --json` show it: Lambda's FunctionConfiguration names
 * where Lambda has the field (CodeSha256 in base64, like Lambda's), plus Coffer's own (Kind, Url,
 * CodeDirectory). The webhook signing key is never shown.
 */
export function functionJson(
  fn: FunctionRecord,
  codeDirectory: (codeId: string) => string,
): Record<string, unknown> {
  const code = fn.code
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Kind: code.kind,
    Role: fn.roleArn,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    ...(code.kind === 'process'
      ? {
          Runtime: code.runtime,
          Handler: code.handler,
          CodeSha256: Buffer.from(code.codeSha256, 'hex').toString('base64'),
          CodeDirectory: codeDirectory(code.codeId),
          Environment: { Variables: code.environment },
        }
      : { Url: code.url }),
    LastModified: new Date(fn.updatedAt).toISOString(),
  }
}

/** `key: value` lines for `get`. */
export function functionText(fn: FunctionRecord, codeDirectory: (codeId: string) => string): string {
  const json = functionJson(fn, codeDirectory)
  const lines = Object.entries(json).map(([key, value]) =>
    key === 'Environment'
      ? `Environment:${Object.entries((value as { Variables: Record<string, string> }).Variables)
          .map(([k, v]) => `\n  ${k}=${v}`)
          .join('')}`
      : `${key}: ${String(value)}`,
  )
  return `${lines.join('\n')}\n`
}

/** The `list` table: one line per function, columns padded. */
export function functionTable(functions: readonly FunctionRecord[]): string {
  const rows = [
    ['NAME', 'KIND', 'RUNTIME/URL', 'ROLE', 'TIMEOUT', 'ACCOUNT', 'REGION'],
    ...functions.map((fn) => [
      fn.name,
      fn.code.kind,
      fn.code.kind === 'process' ? `${fn.code.runtime} ${fn.code.handler}` : fn.code.url,
      fn.roleArn,
      `${fn.timeoutSeconds}s`,
      fn.accountId,
      fn.region,
    ]),
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  )
}
