/** Small helpers for the printed figures. */
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  if (sorted.length === 0) return NaN
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** The value at quantile `q` (0..1) of unsorted samples (nearest rank). */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN
}

/** Right-aligned columns (the first left-aligned), a rule under the header row. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')
  const [head, ...body] = rows
  if (head === undefined) return ''
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1)),
  ratio: (n: number) => `${n.toFixed(2)}×`,
  pct: (n: number) => `${Math.round(n * 100)}%`,
}

/** "10s" / "1m" / "500ms" → seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text)
  if (match === null) throw new Error(`bad duration '${text}' (expected e.g. 10s, 1m)`)
  const value = Number(match[1])
  return match[2] === 'ms' ? value / 1000 : match[2] === 'm' ? value * 60 : value
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** When and where: the date, node, CPUs, and how busy the (shared) machine is right now. */
export function machineNote(): string {
  let pressure = ''
  try {
    const some = /avg10=(\S+) avg60=(\S+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))
    if (some !== null) pressure = `, CPU pressure (some) ${some[1]}% avg10 / ${some[2]}% avg60`
  } catch {
    // no PSI on this kernel
  }
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')
  return `[${new Date().toISOString()}] node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${load}${pressure}`
}
