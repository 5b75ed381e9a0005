import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../server/config/load.js'
import { runServer } from '../server/main.js'

const USAGE = `Usage: coffer <command> [options]

Commands:
  server    Start the server (Secrets Manager, KMS, SSM, IAM and STS on one port)
  iam       IAM from a file: coffer iam apply <file> [--dry-run] (coffer iam apply --help)
  audit     The audit trail: coffer audit verify|export [--data-dir D] (coffer audit --help)
  events    Event deliveries: coffer events dead-letters [--data-dir <dir>] [--json]
  functions Rotation functions: create, update, list, get, delete (coffer functions --help)
  posture   What needs attention: rotation, unused secrets, keys, public policies (coffer posture --help)
  rotation  Rotation state: coffer rotation status [secret] [--data-dir <dir>] [--json]

Options for 'server':
  --config <file>       YAML or JSON configuration file (env COFFER_CONFIG)
  --host <host>         Listen address (default 127.0.0.1, env COFFER_HOST)
  --port <port>         Listen port (default 4566, env COFFER_PORT)
  --data-dir <dir>      Data directory (default ./coffer-data, env COFFER_DATA_DIR)
  --region <region>     Default region (default us-east-1, env COFFER_REGION)
  --account-id <id>     Account created on first start (default 000000000000, env COFFER_ACCOUNT_ID)
  --workers <n>         HTTP worker processes (default 1, env COFFER_WORKERS)
  --log-level <level>   fatal|error|warn|info|debug|trace|silent (default info)
  --dev                 Accept any credentials (LocalStack-style). Never with real secrets.
`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE)
    return command === undefined ? 2 : 0
  }
  const io = {
    out: (text: string) => process.stdout.write(text),
    err: (text: string) => process.stderr.write(text),
    env: process.env,
  }
  if (command === 'iam') {
    // Loaded on demand: a companion of the server, using only the public IAM API.
    const { runIamCommand } = await import('./iam-apply/command.js')
    return runIamCommand(rest, io)
  }
  if (command === 'functions') {
    // Works on the data directory itself: there is no Lambda API to call.
    const { runFunctionsCommand } = await import('./functions/command.js')
    return runFunctionsCommand(rest, io)
  }
  if (command === 'rotation') {
    const { runRotationCommand } = await import('./rotation-status.js')
    return runRotationCommand(rest, io)
  }
  if (command === 'posture') {
    const { runPostureCommand } = await import('./posture.js')
    return runPostureCommand(rest, { ...io, now: () => Date.now() })
  }
  if (command === 'events') {
    // An operator command on the data directory's database, like the server itself.
    const { runEventsCommand } = await import('../server/events/dead-letters-command.js')
    return runEventsCommand(rest, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      env: process.env,
    })
  }
  if (command === 'audit') {
    // Works on the data directory (a stopped server's too), not over the wire.
    const { runAuditCommand } = await import('./audit.js')
    return runAuditCommand(rest, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      env: process.env,
    })
  }
  if (command !== 'server') {
    process.stderr.write(`coffer: unknown command '${command}'\n\n${USAGE}`)
    return 2
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      workers: { type: 'string' },
      'log-level': { type: 'string' },
      dev: { type: 'boolean' },
    },
    strict: true,
  })
  const config = loadConfig(values)
  const server = await runServer(config)
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  return -1
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    const message = error instanceof ConfigError || error instanceof TypeError ? error.message : String(error)
    process.stderr.write(`coffer: ${message}\n`)
    if (!(error instanceof ConfigError)) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`)
    process.exit(78)
  },
)
