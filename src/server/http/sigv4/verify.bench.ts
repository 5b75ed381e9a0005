/**
 * Micro-benchmark: parse + verify a typical JS SDK v3 Secrets Manager request (GetSecretValue, the
 * nine signed headers the SDK sends, x-amz-content-sha256 included) on one core.
 *
 *   node --import tsx src/server/http/sigv4/verify.bench.ts
 */
import { parseAuthorization } from './parse.js'
import { SigningKeyCache } from './signing-key-cache.js'
import { NOW, SECRET, sign } from './test-signer.js'
import { verifySignature } from './verify.js'

const signed = await sign({
  body: '{"SecretId":"prod/db/password"}',
  headers: {
    'content-length': '31',
    'x-amz-user-agent': 'aws-sdk-js/3.1163.0',
    'user-agent':
      'aws-sdk-js/3.1163.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/secrets-manager#3.1163.0 m/N,E,e',
    'amz-sdk-invocation-id': 'bef2e4c6-d3a6-494e-8acc-a03f77c6edf2',
    'amz-sdk-request': 'attempt=1; max=3',
  },
})
// Node's HTTP parser hands over flat strings; the signer's are concatenation ropes. Flatten them.
const flat = (v: string): string => Buffer.from(v, 'latin1').toString('latin1')
const headers: Record<string, string> = {}
for (const [k, v] of Object.entries(signed.headers)) headers[flat(k)] = flat(v as string)
const req = { ...signed, headers, body: Buffer.from(signed.body) }

const cache = new SigningKeyCache(1024)
const opts = { now: NOW, skewMs: 5 * 60_000, secretAccessKey: SECRET }

/** Runs `fn` for about `seconds`; reports per wall-clock second and per CPU second (load-independent). */
function run(label: string, seconds: number, fn: () => void): void {
  for (let i = 0; i < 20_000; i++) fn() // warm-up
  let n = 0
  const cpu0 = process.cpuUsage()
  const start = process.hrtime.bigint()
  const end = start + BigInt(seconds * 1e9)
  let now = start
  while (now < end) {
    for (let i = 0; i < 1000; i++) fn()
    n += 1000
    now = process.hrtime.bigint()
  }
  const cpu = process.cpuUsage(cpu0)
  const wall = n / (Number(now - start) / 1e9)
  const perCpu = n / ((cpu.user + cpu.system) / 1e6)
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US').padStart(9)
  console.log(
    `${label.padEnd(24)} ${fmt(wall)} /s wall  ${fmt(perCpu)} /s CPU  (${(1e6 / perCpu).toFixed(2)} µs CPU each)`,
  )
}

console.log(`signed headers: ${parseAuthorization(req).signedHeaders.join(';')}`)
run('parseAuthorization', 2, () => {
  parseAuthorization(req)
})
run('parse + verifySignature', 3, () => {
  verifySignature(req, parseAuthorization(req), opts, cache)
})
