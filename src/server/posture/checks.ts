import { crossAccountPrincipals, grantsPublicAccess, parsePolicy } from '../../policy/index.js'

/** What the posture checks read of a secret (live secrets only). Times are epoch ms. */
export interface PostureSecret {
  readonly arn: string
  readonly name: string
  readonly accountId: string
  readonly createdAt: number
  readonly lastAccessedAt?: number
  readonly kmsKeyArn?: string
  readonly resourcePolicy?: string
  readonly rotationEnabled: boolean
  readonly lastRotatedAt?: number
  readonly nextRotationAt?: number
  /** The outcome of the latest rotation run (test-only runs excluded), if any ran. */
  readonly lastRotation?: {
    readonly state: 'running' | 'succeeded' | 'failed' | 'cancelled'
    readonly error?: string
  }
}

export type CheckStatus = 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_APPLICABLE'

export interface Finding {
  readonly check: CheckId
  readonly arn: string
  readonly name: string
  readonly status: CheckStatus
  readonly reason: string
}

export interface PostureOptions {
  /** `secret-periodic-rotation`: rotated within this many days (AWS Config's default: 90). */
  readonly maxDaysSinceRotation: number
  /** `secret-unused`: read within this many days (AWS Config's default: 90). */
  readonly unusedForDays: number
}

export const DEFAULT_POSTURE_OPTIONS: PostureOptions = { maxDaysSinceRotation: 90, unusedForDays: 90 }

/**
 * The checks AWS Config and Security Hub run on Secrets Manager secrets (managed rules
 * secretsmanager-rotation-enabled-check, -scheduled-rotation-success-check, -secret-periodic-rotation,
 * -secret-unused, -using-cmk; Security Hub SecretsManager.1–4), plus what IAM Access Analyzer reports
 * for a secret's resource policy (public or cross-account access).
 */
export const CHECKS = {
  'rotation-enabled': 'Automatic rotation is enabled',
  'rotation-succeeded': 'The last scheduled rotation succeeded and none is overdue',
  'rotated-recently': 'Rotated within the allowed number of days',
  'recently-used': 'Read within the allowed number of days',
  'customer-key': 'Encrypted with a customer managed KMS key',
  'not-public': 'The resource policy grants no public access',
  'no-cross-account': 'The resource policy grants no other account access',
} as const
export type CheckId = keyof typeof CHECKS

const DAY_MS = 86_400_000

export function evaluatePosture(
  secrets: readonly PostureSecret[],
  now: number,
  options: PostureOptions = DEFAULT_POSTURE_OPTIONS,
): Finding[] {
  return secrets.flatMap((secret) => checkSecret(secret, now, options))
}

function checkSecret(s: PostureSecret, now: number, options: PostureOptions): Finding[] {
  const out: Finding[] = []
  const add = (check: CheckId, status: CheckStatus, reason: string) =>
    out.push({ check, arn: s.arn, name: s.name, status, reason })
  const days = (since: number) => Math.floor((now - since) / DAY_MS)

  add(
    'rotation-enabled',
    s.rotationEnabled ? 'PASSED' : 'FAILED',
    s.rotationEnabled ? 'rotation is enabled' : 'rotation is not enabled',
  )

  if (!s.rotationEnabled) add('rotation-succeeded', 'NOT_APPLICABLE', 'rotation is not enabled')
  else if (s.lastRotation?.state === 'failed')
    add(
      'rotation-succeeded',
      'FAILED',
      `the last rotation failed: ${s.lastRotation.error ?? 'no reason recorded'}`,
    )
  else if (s.nextRotationAt !== undefined && s.nextRotationAt < now && s.lastRotation?.state !== 'running')
    add('rotation-succeeded', 'FAILED', `the rotation due by ${iso(s.nextRotationAt)} has not happened`)
  else
    add(
      'rotation-succeeded',
      'PASSED',
      s.lastRotation === undefined ? 'no rotation ran yet' : `last rotation ${s.lastRotation.state}`,
    )

  const rotatedAt = s.lastRotatedAt ?? s.createdAt
  const sinceRotation = days(rotatedAt)
  add(
    'rotated-recently',
    sinceRotation > options.maxDaysSinceRotation ? 'FAILED' : 'PASSED',
    `${s.lastRotatedAt === undefined ? 'never rotated; created' : 'last rotated'} ${sinceRotation} days ago (limit ${options.maxDaysSinceRotation})`,
  )

  const usedAt = s.lastAccessedAt ?? s.createdAt
  const sinceUse = days(usedAt)
  add(
    'recently-used',
    sinceUse > options.unusedForDays ? 'FAILED' : 'PASSED',
    `${s.lastAccessedAt === undefined ? 'never read; created' : 'last read'} ${sinceUse} days ago (limit ${options.unusedForDays})`,
  )

  add(
    'customer-key',
    s.kmsKeyArn === undefined ? 'FAILED' : 'PASSED',
    s.kmsKeyArn === undefined
      ? 'encrypted with the AWS managed key aws/secretsmanager'
      : `encrypted with ${s.kmsKeyArn}`,
  )

  const parsed = s.resourcePolicy === undefined ? undefined : parsePolicy(s.resourcePolicy, 'resource')
  if (parsed === undefined) {
    add('not-public', 'PASSED', 'no resource policy')
    add('no-cross-account', 'PASSED', 'no resource policy')
  } else if (!parsed.ok) {
    add('not-public', 'FAILED', 'the stored resource policy cannot be parsed')
    add('no-cross-account', 'FAILED', 'the stored resource policy cannot be parsed')
  } else {
    const isPublic = grantsPublicAccess(parsed.policy, s.accountId)
    add(
      'not-public',
      isPublic ? 'FAILED' : 'PASSED',
      isPublic ? 'grants access to everyone' : 'no public grant',
    )
    const accounts = crossAccountPrincipals(parsed.policy, s.accountId)
    add(
      'no-cross-account',
      accounts.length > 0 ? 'WARNING' : 'PASSED',
      accounts.length > 0 ? `grants access to ${accounts.join(', ')}` : 'no grant to another account',
    )
  }
  return out
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
