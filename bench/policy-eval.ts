/**
 * Policy evaluations per second for GetSecretValue, in-process (no HTTP):
 *   (a) an administrator: one identity policy `Allow * *`;
 *   (b) a principal whose policies hold 20 statements with conditions (StringEquals on
 *       aws:ResourceTag/team, StringLike on secretsmanager:Name, IpAddress on aws:SourceIp,
 *       DateLessThan on aws:CurrentTime, a Deny with NotResource, a Bool deny on
 *       aws:SecureTransport, statements for other actions, policy variables), plus a secret policy.
 * Each case is measured twice: `evaluate` alone, and `compilePolicyText` (memo hit, as the server
 * does per request with stored policy texts) + `evaluate`. Rounds are interleaved and the median
 * reported (per CPU-second), because the machine is shared and noisy; the ratio (b)/(a) is the figure
 * to quote.
 *
 *   node --import tsx bench/policy-eval.ts [--rounds 5] [--ms 400] [--only '(b)']
 */
import { parseArgs } from 'node:util'
import {
  compilePolicyText,
  evaluate,
  type AuthorizationRequest,
  type PolicyKind,
} from '../src/policy/index.js'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    ms: { type: 'string', default: '400' },
    only: { type: 'string' },
  },
})
const ROUNDS = Number(values.rounds)
const MS = Number(values.ms)

const ACCT = '111111111111'
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:team-red/app/db-AbCdEf`
const doc = (Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })

const ADMIN = [doc([{ Effect: 'Allow', Action: '*', Resource: '*' }])]

const statement = (i: number): object => {
  const tag = { StringEquals: { 'aws:ResourceTag/team': i === 16 ? 'red' : `team-${i}` } }
  const name = { StringLike: { 'secretsmanager:Name': i === 16 ? 'team-red/*' : `team-${i}/*` } }
  const ip = { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32'] } }
  const time = { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }
  const actions = [
    'secretsmanager:GetSecretValue',
    'secretsmanager:Describe*',
    'kms:Decrypt',
    'ssm:GetParameter*',
    'secretsmanager:List*',
  ]
  return {
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: i % 3 === 2 ? actions[i % actions.length] : ['secretsmanager:Get*', 'secretsmanager:Describe*'],
    Resource: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:\${aws:PrincipalTag/team}/*`,
    Condition: { ...tag, ...name, ...ip, ...time },
  }
}

const COMPLEX = [
  doc([
    {
      Sid: 'OnlyOwnAccount',
      Effect: 'Deny',
      Action: '*',
      NotResource: [`arn:aws:secretsmanager:*:${ACCT}:secret:*`, `arn:aws:kms:*:${ACCT}:key/*`],
    },
    {
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    ...Array.from({ length: 9 }, (_, i) => statement(i)),
  ]),
  doc(Array.from({ length: 9 }, (_, i) => statement(i + 9))),
]
const SECRET_POLICY = doc([
  {
    Effect: 'Deny',
    Principal: '*',
    Action: 'secretsmanager:*',
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCT } },
  },
])

const context = new Map<string, string | string[]>([
  ['aws:principalarn', `arn:aws:iam::${ACCT}:role/app`],
  ['aws:principalaccount', ACCT],
  ['aws:principaltag/team', 'team-red'],
  ['aws:userid', 'AROAEXAMPLE:session'],
  ['aws:sourceip', '10.1.2.3'],
  ['aws:currenttime', '2025-06-01T12:00:00Z'],
  ['aws:epochtime', '1748779200'],
  ['aws:securetransport', 'true'],
  ['aws:resourcetag/team', 'red'],
  ['secretsmanager:resourcetag/team', 'red'],
  ['secretsmanager:name', 'team-red/app/db'],
  ['secretsmanager:secretid', SECRET],
  ['secretsmanager:versionstage', 'AWSCURRENT'],
])

const request: AuthorizationRequest = {
  principal: {
    arn: `arn:aws:sts::${ACCT}:assumed-role/app/session`,
    accountId: ACCT,
    principalArn: `arn:aws:iam::${ACCT}:role/app`,
    isRoot: false,
    userId: 'AROAEXAMPLE:session',
  },
  action: 'secretsmanager:GetSecretValue',
  resource: SECRET,
  resourceAccountId: ACCT,
  context,
}

function compiled(text: string, kind: PolicyKind) {
  const r = compilePolicyText(text, kind)
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.policy
}

type Case = { name: string; run: () => boolean }
function cases(identity: readonly string[], label: string): Case[] {
  const set = {
    identity: identity.map((t) => compiled(t, 'identity')),
    resource: compiled(SECRET_POLICY, 'resource'),
  }
  return [
    { name: `${label}: evaluate`, run: () => evaluate(request, set).effect === 'Allow' },
    {
      name: `${label}: compilePolicyText + evaluate`,
      run: () => {
        const policies = {
          identity: identity.map((t) => compiled(t, 'identity')),
          resource: compiled(SECRET_POLICY, 'resource'),
        }
        return evaluate(request, policies).effect === 'Allow'
      },
    },
  ]
}

const cpuMicros = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

/**
 * Evaluations per CPU-second over ~MS milliseconds of CPU time. CPU time, not wall time: on a
 * shared machine the process is descheduled at random, which wall time would count.
 */
function measure(c: Case): number {
  let n = 0
  const start = cpuMicros()
  let now = start
  while (now - start < MS * 1000) {
    for (let i = 0; i < 1000; i++) if (!c.run()) throw new Error(`${c.name}: not allowed`)
    n += 1000
    now = cpuMicros()
  }
  return (n * 1e6) / (now - start)
}

const all = [...cases(ADMIN, '(a) administrator'), ...cases(COMPLEX, '(b) 20 statements')].filter(
  (c) => values.only === undefined || c.name.includes(values.only),
)
for (const c of all) for (let i = 0; i < 200_000; i++) c.run() // warm up (JIT, memos)
const results = new Map<string, number[]>(all.map((c) => [c.name, []]))
for (let r = 0; r < ROUNDS; r++) for (const c of all) results.get(c.name)?.push(measure(c))

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const rate = new Map([...results].map(([k, v]) => [k, median(v)]))
console.log(
  `policy evaluation, GetSecretValue, median of ${ROUNDS} rounds of ${MS} ms CPU time (node ${process.version})`,
)
for (const [name, perSecond] of rate) {
  console.log(
    `  ${name.padEnd(48)} ${(perSecond / 1e6).toFixed(2).padStart(6)} M/s  ${(1e6 / perSecond).toFixed(3)} µs/eval`,
  )
}
for (const kind of ['evaluate', 'compilePolicyText + evaluate']) {
  const a = rate.get(`(a) administrator: ${kind}`)
  const b = rate.get(`(b) 20 statements: ${kind}`)
  if (a === undefined || b === undefined) continue
  const extra = (1e6 / b - 1e6 / a).toFixed(3)
  console.log(`  ratio (b)/(a), ${kind}: ${(b / a).toFixed(2)}  (extra cost of (b): ${extra} µs)`)
}
