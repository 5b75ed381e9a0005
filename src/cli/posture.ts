import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  CHECKS,
  DEFAULT_POSTURE_OPTIONS,
  evaluatePosture,
  type CheckStatus,
  type Finding,
} from '../server/posture/checks.js'
import { readPostureSecrets } from '../server/storage/sqlite/posture-source.js'

const USAGE = `Usage: coffer posture [--data-dir D] [--json] [--account-id N] [--region R]
                      [--max-days-since-rotation 90] [--unused-days 90]

Checks every live secret the way AWS Config and Security Hub do (rotation enabled, last rotation
succeeded, rotated within N days, read within N days, customer managed key, public or cross-account
resource policy). Reads the data directory; the server may be running. Exit status: 0 nothing failed,
1 some check failed, 2 bad usage.
`

export interface PostureIo {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: NodeJS.ProcessEnv
  readonly now: () => number
}

export function runPostureCommand(args: string[], io: PostureIo): number {
  let values
  try {
    values = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        'account-id': { type: 'string' },
        region: { type: 'string' },
        'max-days-since-rotation': { type: 'string' },
        'unused-days': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (error) {
    io.err(`coffer posture: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help === true) {
    io.out(USAGE)
    return 0
  }
  const days = (flag: string, value: string | undefined, fallback: number): number | undefined => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (Number.isInteger(n) && n >= 1) return n
    io.err(`coffer posture: --${flag} must be a whole number of days, at least 1\n`)
    return undefined
  }
  const maxDaysSinceRotation = days(
    'max-days-since-rotation',
    values['max-days-since-rotation'],
    DEFAULT_POSTURE_OPTIONS.maxDaysSinceRotation,
  )
  const unusedForDays = days('unused-days', values['unused-days'], DEFAULT_POSTURE_OPTIONS.unusedForDays)
  if (maxDaysSinceRotation === undefined || unusedForDays === undefined) return 2
  const dataDir = resolve(values['data-dir'] ?? io.env.COFFER_DATA_DIR ?? './coffer-data')
  const file = join(dataDir, 'coffer.db')
  if (!existsSync(file)) {
    io.err(`coffer posture: no Coffer database in ${dataDir}\n`)
    return 2
  }
  const db = new Database(file, { readonly: true, fileMustExist: true })
  let findings: Finding[]
  try {
    db.pragma('busy_timeout = 5000')
    const secrets = readPostureSecrets(db, {
      ...(values['account-id'] !== undefined && { accountId: values['account-id'] }),
      ...(values.region !== undefined && { region: values.region }),
    })
    findings = evaluatePosture(secrets, io.now(), { maxDaysSinceRotation, unusedForDays })
  } finally {
    db.close()
  }
  io.out(
    values.json === true
      ? `${JSON.stringify({ findings, summary: summary(findings) }, null, 2)}\n`
      : table(findings),
  )
  return findings.some((f) => f.status === 'FAILED') ? 1 : 0
}

function summary(findings: readonly Finding[]): Record<CheckStatus, number> {
  const out: Record<CheckStatus, number> = { PASSED: 0, FAILED: 0, WARNING: 0, NOT_APPLICABLE: 0 }
  for (const f of findings) out[f.status]++
  return out
}

function table(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No secrets.\n'
  const rows = findings.map((f) => [f.name, f.check, f.status, f.reason])
  const header = ['SECRET', 'CHECK', 'STATUS', 'DETAIL']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')
  const s = summary(findings)
  const legend = Object.entries(CHECKS)
    .map(([id, text]) => `  ${id.padEnd(18)} ${text}`)
    .join('\n')
  return [
    line(header),
    ...rows.map(line),
    '',
    `${s.FAILED} failed, ${s.WARNING} warnings, ${s.PASSED} passed, ${s.NOT_APPLICABLE} not applicable`,
    '',
    'Checks:',
    legend,
    '',
  ].join('\n')
}
