/**
 * Generates `src/aws-api/<service>/` from the vendored models.
 *
 *   npm run codegen                      write the generated files
 *   npm run codegen -- --check           exit 1 and list the files that differ from a fresh generation
 *   ... --service kms --out-root <dir>   restrict to some services / write elsewhere (tests)
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { generateService } from './generate.js'
import { apiDir, isMain } from './paths.js'
import { services, type ServiceEntry } from './services.js'
import { diffGenerated, writeGenerated, type Difference } from './write.js'

export interface RunOptions {
  readonly check: boolean
  readonly outRoot: string
  readonly services: readonly ServiceEntry[]
}

export async function run(options: RunOptions): Promise<Difference[]> {
  const all: Difference[] = []
  for (const entry of options.services) {
    const files = await generateService(entry, { outDir: path.join(options.outRoot, entry.id) })
    all.push(...(options.check ? await diffGenerated(files) : await writeGenerated(files)))
  }
  return all
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      'out-root': { type: 'string' },
      service: { type: 'string', multiple: true },
    },
  })
  const wanted = values.service
  const selected = wanted ? services.filter((s) => wanted.includes(s.id)) : services
  const unknown = (wanted ?? []).filter((id) => !services.some((s) => s.id === id))
  if (unknown.length > 0) {
    console.error(`unknown service(s): ${unknown.join(', ')}`)
    return 2
  }
  const outRoot = path.resolve(values['out-root'] ?? apiDir)
  const differences = await run({ check: values.check, outRoot, services: selected })
  const rel = (file: string): string => path.relative(process.cwd(), file)
  if (values.check) {
    if (differences.length === 0) return 0
    console.error('Generated API code is out of date; run `npm run codegen`:')
    for (const d of differences) console.error(`  ${d.kind.padEnd(7)} ${rel(d.file)}`)
    return 1
  }
  for (const d of differences) console.log(`${d.kind === 'stale' ? 'removed' : 'wrote  '} ${rel(d.file)}`)
  if (differences.length === 0) console.log('generated code is up to date')
  return 0
}

if (isMain(import.meta.url)) {
  process.exitCode = await main()
}
