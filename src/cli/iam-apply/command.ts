import { IAMClient, IAMServiceException } from '@aws-sdk/client-iam'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { executeSteps } from './execute.js'
import { FileError, parseApplyFile } from './file.js'
import { PlanError, planChanges } from './plan.js'
import { readCurrentState } from './read-current.js'
import { describeStep, symbolOf, type Step } from './steps.js'

export const IAM_USAGE = `Usage: coffer iam apply <file> [options]

Makes the IAM users, roles, managed policies and OpenID Connect providers of an account match a YAML
file, through the IAM API, and prints the changes (+ create, ~ update, - delete). Entities it creates
are tagged coffer:managed-by=iam-apply; only those are deleted when removed from the file.

Options:
  --dry-run             Print the changes, make none
  --endpoint-url <url>  IAM endpoint (default: AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, http://127.0.0.1:4566)
  --profile <name>      Credentials profile (default: the standard AWS credential chain)
  --region <region>     Signing region (default us-east-1; IAM is global)
`

export interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: NodeJS.ProcessEnv
}

/** `coffer iam <subcommand> …`. Returns the exit code: 0 done, 1 the API refused a change, 2 bad input. */
export async function runIamCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv
  if (sub !== 'apply') {
    io.err(sub === undefined ? IAM_USAGE : `coffer iam: unknown subcommand '${sub}'\n\n${IAM_USAGE}`)
    return 2
  }
  let options
  try {
    options = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean' },
        'endpoint-url': { type: 'string' },
        profile: { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    })
  } catch (error) {
    io.err(`coffer iam apply: ${(error as Error).message}\n\n${IAM_USAGE}`)
    return 2
  }
  if (options.values.help === true) {
    io.out(IAM_USAGE)
    return 0
  }
  const [file, ...extra] = options.positionals
  if (file === undefined || extra.length > 0) {
    io.err(IAM_USAGE)
    return 2
  }
  const endpoint =
    options.values['endpoint-url'] ??
    io.env['AWS_ENDPOINT_URL_IAM'] ??
    io.env['AWS_ENDPOINT_URL'] ??
    'http://127.0.0.1:4566'
  // The SDK warns on Node 20 about its own future releases; Coffer supports Node 20, and the warning
  // would precede every plan.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'
  const iam = new IAMClient({
    endpoint,
    region: options.values.region ?? 'us-east-1',
    ...(options.values.profile !== undefined && { profile: options.values.profile }),
  })
  try {
    return await apply(iam, file, options.values['dry-run'] === true, io)
  } finally {
    iam.destroy()
  }
}

async function apply(iam: IAMClient, file: string, dryRun: boolean, io: Io): Promise<number> {
  let plan
  let current
  try {
    const desired = parseApplyFile(readFileSync(file, 'utf8'))
    current = await readCurrentState(iam, desired)
    plan = planChanges(desired, current)
  } catch (error) {
    if (error instanceof FileError || error instanceof PlanError) {
      io.err(`coffer iam apply: ${file}:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`)
      return 2
    }
    return failed(io, error)
  }
  for (const warning of plan.warnings) io.out(`! ${warning}\n`)
  if (plan.steps.length === 0) {
    io.out(`No changes: IAM matches ${file}.\n`)
    return 0
  }
  for (const step of plan.steps) io.out(`${describeStep(step)}\n`)
  io.out(`Plan: ${summary(plan.steps)}.\n`)
  if (dryRun) {
    io.out('Dry run: nothing was changed.\n')
    return 0
  }
  let running: Step | undefined
  try {
    await executeSteps(iam, plan.steps, current, (step) => (running = step))
  } catch (error) {
    if (running !== undefined) io.err(`Failed at: ${describeStep(running)}\n`)
    return failed(io, error)
  }
  io.out(`Applied ${plan.steps.length} change${plan.steps.length === 1 ? '' : 's'}.\n`)
  return 0
}

function summary(steps: readonly Step[]): string {
  const count = (symbol: string) => steps.filter((s) => symbolOf(s) === symbol).length
  return `${count('+')} to create, ${count('~')} to update, ${count('-')} to delete`
}

function failed(io: Io, error: unknown): number {
  if (error instanceof IAMServiceException) {
    io.err(`coffer iam apply: ${error.name}: ${error.message}\n`)
    return 1
  }
  io.err(`coffer iam apply: ${error instanceof Error ? error.message : String(error)}\n`)
  return 1
}
