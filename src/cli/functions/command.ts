import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { systemClock } from '../../lib/clock.js'
import { cryptoRandom } from '../../lib/random.js'
import { closeDataDir, openExistingDataDir, type DataDir } from '../../server/bootstrap.js'
import { FunctionConflict, InvalidFunctionSettings } from '../../server/functions/admin.js'
import { CodePackageError, CodePackages } from '../../server/functions/code.js'
import type { FunctionDefinition } from '../../server/functions/contract.js'
import type { FunctionSettings } from '../../server/functions/settings.js'
import { lambdaMayAssume } from '../../server/functions/sessions.js'
import { functionAdmin } from '../../server/main.js'
import { SqliteStsStore } from '../../server/storage/sqlite/sts-store.js'
import { functionJson, functionTable, functionText } from './present.js'

export const FUNCTIONS_USAGE = `Usage: coffer functions <command> [options]

Registers the rotation functions RotateSecret can invoke (arn:aws:lambda:<region>:<account>:function:<name>),
in a data directory, whether its server is running or not (a running server sees changes at once).

Commands:
  create <name> --role <role-arn> --runtime nodejs|python --handler <module.function> --code <dir>
         [--timeout 30] [--memory 128] [--env K=V ...]                a process function
  create <name> --role <role-arn> --url <https://...> [--timeout 30]  a webhook; prints its signing key once
  update <name> [any create option] [--clear-env] [--new-signing-key]
  list [--json]
  get <name> [--json]
  delete <name>

Options:
  --data-dir <dir>          Data directory (default ./coffer-data, env COFFER_DATA_DIR)
  --account-id <id>         The function's account (default: the deployment's default account)
  --region <region>         The function's region (default: the deployment's default region)
  --signing-key-file <file> A webhook's signing key, instead of a generated one
  --json                    list, get: JSON output

Names starting with 'coffer-' are the built-in rotators'. --code is copied into the data directory:
later changes to <dir> do not affect the function until 'update --code <dir>'.
Exit status: 0 done, 1 the change could not be made, 2 bad input.
`

export interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: NodeJS.ProcessEnv
}

const OPTIONS = {
  'data-dir': { type: 'string' },
  'account-id': { type: 'string' },
  region: { type: 'string' },
  role: { type: 'string' },
  runtime: { type: 'string' },
  handler: { type: 'string' },
  code: { type: 'string' },
  timeout: { type: 'string' },
  memory: { type: 'string' },
  env: { type: 'string', multiple: true },
  'clear-env': { type: 'boolean' },
  url: { type: 'string' },
  'signing-key-file': { type: 'string' },
  'new-signing-key': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

/** Bad input: exit status 2. */
class UsageError extends Error {}

/** `coffer functions <command> …`. Returns the exit status. */
export async function runFunctionsCommand(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    ;(command === undefined ? io.err : io.out)(FUNCTIONS_USAGE)
    return command === undefined ? 2 : 0
  }
  let data: DataDir | undefined
  try {
    const { values, positionals } = parse(rest)
    if (values.help === true) {
      io.out(FUNCTIONS_USAGE)
      return 0
    }
    const wantsName = command !== 'list'
    if (!['create', 'update', 'list', 'get', 'delete'].includes(command))
      throw new UsageError(`unknown command '${command}'`)
    if (positionals.length !== (wantsName ? 1 : 0))
      throw new UsageError(wantsName ? `${command} takes one function name` : 'list takes no name')
    const dataDir = resolve(values['data-dir'] ?? io.env['COFFER_DATA_DIR'] ?? './coffer-data')
    data = await openExistingDataDir(dataDir, { clock: systemClock })
    if (data === undefined) {
      io.err(
        `coffer functions: no Coffer data directory at ${dataDir} (start 'coffer server --data-dir ${dataDir}' once to create it)\n`,
      )
      return 1
    }
    const admin = functionAdmin({ dataDir }, data, { clock: systemClock, random: cryptoRandom })
    const packages = new CodePackages(dataDir)
    const ref = {
      name: positionals[0] ?? '',
      ...(values['account-id'] !== undefined && { accountId: values['account-id'] }),
      ...(values.region !== undefined && { region: values.region }),
    }
    switch (command) {
      case 'create':
      case 'update': {
        const settings = { ...ref, ...settingsOf(values) }
        const { fn, generatedSigningKey } =
          command === 'create' ? await admin.create(settings) : await admin.update(settings)
        io.out(`${command === 'create' ? 'Created' : 'Updated'} ${fn.code.kind} function ${fn.arn}\n`)
        if (generatedSigningKey !== undefined)
          io.out(`Signing key (shown only now; give it to the webhook): ${generatedSigningKey}\n`)
        const warning = await roleWarning(data, fn)
        if (warning !== undefined) io.err(`warning: ${warning}\n`)
        return 0
      }
      case 'list': {
        const functions = await admin.list({
          ...(ref.accountId !== undefined && { accountId: ref.accountId }),
          ...(ref.region !== undefined && { region: ref.region }),
        })
        if (values.json === true) {
          const json = functions.map((fn) => functionJson(fn, (id) => packages.path(fn, id)))
          io.out(`${JSON.stringify({ Functions: json }, null, 2)}\n`)
        } else if (functions.length === 0)
          io.out('No functions registered (the built-in coffer-* rotators are always there).\n')
        else io.out(functionTable(functions))
        return 0
      }
      case 'get': {
        const fn = await admin.get(ref)
        const codeDirectory = (id: string) => packages.path(fn, id)
        io.out(
          values.json === true
            ? `${JSON.stringify(functionJson(fn, codeDirectory), null, 2)}\n`
            : functionText(fn, codeDirectory),
        )
        return 0
      }
      default: {
        await admin.delete(ref)
        io.out(`Deleted function ${ref.name}\n`)
        return 0
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`coffer functions: ${error.message}\n\n${FUNCTIONS_USAGE}`)
      return 2
    }
    if (error instanceof InvalidFunctionSettings) {
      io.err(`coffer functions ${command}:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`)
      return 2
    }
    if (error instanceof CodePackageError) {
      io.err(`coffer functions ${command}: ${error.message}\n`)
      return 2
    }
    if (error instanceof FunctionConflict) {
      io.err(`coffer functions ${command}: ${error.message}\n`)
      return 1
    }
    io.err(`coffer functions ${command}: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  } finally {
    if (data !== undefined) closeDataDir(data)
  }
}

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

function settingsOf(values: Values): Omit<FunctionSettings, 'name'> {
  if (values.env !== undefined && values['clear-env'] === true)
    throw new UsageError('give --env or --clear-env, not both')
  const environment =
    values['clear-env'] === true ? {} : values.env === undefined ? undefined : parseEnvironment(values.env)
  return {
    ...(values.role !== undefined && { role: values.role }),
    ...(values.runtime !== undefined && { runtime: values.runtime }),
    ...(values.handler !== undefined && { handler: values.handler }),
    ...(values.code !== undefined && { code: resolve(values.code) }),
    ...(values.timeout !== undefined && { timeout: number('--timeout', values.timeout) }),
    ...(values.memory !== undefined && { memory: number('--memory', values.memory) }),
    ...(environment !== undefined && { environment }),
    ...(values.url !== undefined && { url: values.url }),
    ...(values['signing-key-file'] !== undefined && { signingKey: readKey(values['signing-key-file']) }),
    ...(values['new-signing-key'] === true && { newSigningKey: true }),
  }
}

function parseEnvironment(pairs: readonly string[]): Record<string, string> {
  const environment: Record<string, string> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new UsageError(`--env ${pair}: expected NAME=VALUE`)
    environment[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return environment
}

function number(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, not '${text}'`)
  return Number(text)
}

function readKey(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch (error) {
    throw new UsageError(`cannot read --signing-key-file ${path}: ${(error as Error).message}`)
  }
}

/** Registration does not need the role yet (it may be created later); invocations will. */
async function roleWarning(data: DataDir, fn: FunctionDefinition): Promise<string | undefined> {
  const role = await new SqliteStsStore(data.db, data.freshness).findRole(fn.roleArn)
  if (role === undefined)
    return `role ${fn.roleArn} does not exist yet; rotations with this function fail until it does`
  if (!lambdaMayAssume(role, fn, systemClock.now()))
    return `role ${fn.roleArn} cannot be assumed by Lambda (its trust policy must allow lambda.amazonaws.com sts:AssumeRole); rotations with this function fail until it can`
  return undefined
}
