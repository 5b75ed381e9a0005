/**
 * Prints where the time went in a V8 CPU profile (`node --cpu-prof`): top functions by self time,
 * top files, and Coffer's own functions by inclusive time.
 *
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]
 */
import { parseArgs } from 'node:util'
import { summariseProfile } from './lib/cpuprofile.js'

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' } },
  allowPositionals: true,
})
if (positionals.length === 0) {
  process.stderr.write('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [--top N]\n')
  process.exit(2)
}
for (const path of positionals)
  console.log(`${path}\n${summariseProfile(path, { top: Number(values.top) })}\n`)
