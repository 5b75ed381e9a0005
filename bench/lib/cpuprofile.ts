/** Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time and inclusive time per function. */
import { readFileSync } from 'node:fs'
import { fmt, table } from './report.js'

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly children?: readonly number[]
}

interface Profile {
  readonly nodes: readonly ProfileNode[]
  /** µs on the monotonic clock, the one `process.hrtime()` reads. */
  readonly startTime: number
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface SummaryOptions {
  readonly top?: number
  /** Only samples taken in [from, to] (µs, `process.hrtime` clock): one benchmark run. */
  readonly window?: readonly [number, number]
  /**
   * The server's CPU per request measured from /proc for the same run: adds a column estimating each
   * line's µs per request as its share of the profile's busy time × this. (Profile times are wall
   * times: on a busy machine they include time the thread was preempted, so only shares are reliable.)
   */
  readonly cpuUsPerRequest?: number
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)'])

/** Where a function lives: coffer's own code, a dependency, node's internals or V8. */
function location(url: string): string {
  if (url === '') return 'v8/native'
  if (url.startsWith('node:')) return url
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url)
  if (dep !== null) return `${dep[1]}/${dep[2]}`
  const own = /\/(dist|src|bench)\/(.*)$/.exec(url)
  return own !== null ? `${own[1]}/${own[2]}` : url
}

export function summariseProfile(path: string, options: SummaryOptions = {}): string {
  const { top = 25, window, cpuUsPerRequest: perRequest } = options
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const key = (node: ProfileNode) =>
    SPECIAL.has(node.callFrame.functionName)
      ? node.callFrame.functionName
      : `${node.callFrame.functionName || '(anonymous)'}  ${location(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`
  const add = (map: Map<string, number>, k: string, us: number) => map.set(k, (map.get(k) ?? 0) + us)

  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const byFile = new Map<string, number>()
  let totalUs = 0
  let idleUs = 0
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0
    const dt = profile.timeDeltas[i + 1] ?? 0 // a sample lasts until the next one
    const node = byId.get(id)
    if (node === undefined || (window !== undefined && (at < window[0] || at > window[1]))) return
    totalUs += dt
    if (node.callFrame.functionName === '(idle)') {
      idleUs += dt
      return
    }
    add(self, key(node), dt)
    add(
      byFile,
      SPECIAL.has(node.callFrame.functionName) ? node.callFrame.functionName : location(node.callFrame.url),
      dt,
    )
    const seen = new Set<string>()
    for (let frameId: number | undefined = id; frameId !== undefined; frameId = parent.get(frameId)) {
      const frame = byId.get(frameId)
      if (frame === undefined || SPECIAL.has(frame.callFrame.functionName)) continue
      const fk = key(frame)
      if (!seen.has(fk)) add(inclusive, fk, dt)
      seen.add(fk)
    }
  })
  const busyUs = totalUs - idleUs
  const rows = (map: Map<string, number>, filter?: string) => [
    ['function / file', 'ms', 'of busy', ...(perRequest ? ['≈µs/req'] : [])],
    ...[...map]
      .filter(([k]) => filter === undefined || k.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [
        k,
        fmt.int(us / 1000),
        fmt.pct(us / busyUs),
        ...(perRequest ? [((us / busyUs) * perRequest).toFixed(1)] : []),
      ]),
  ]
  const cpu = perRequest ? `; ${perRequest.toFixed(0)} µs of CPU per request (from /proc)` : ''
  const head = `${fmt.int(totalUs / 1000)} ms sampled, busy ${fmt.int(busyUs / 1000)} ms (${fmt.pct(busyUs / totalUs)})${cpu}`
  const own = rows(inclusive, ' dist/')
  return [
    head,
    '',
    `Top ${top} functions by self time:`,
    table(rows(self)),
    '',
    `Top ${top} files by self time:`,
    table(rows(byFile)),
    ...(own.length > 1 ? ['', `Top ${top} Coffer functions (dist/) by inclusive time:`, table(own)] : []),
  ].join('\n')
}
