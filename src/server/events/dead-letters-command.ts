import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { closeDataDir, dataPaths, openDatabases } from '../bootstrap.js'
import { defaultSqliteOptions } from '../storage/sqlite/database.js'
import { SqliteDeliveryStore } from '../storage/sqlite/delivery-store.js'
import { readEventMetrics } from './metrics.js'

const USAGE = `Usage: coffer events dead-letters [--data-dir <dir>] [--limit <n>] [--json]

Lists the event deliveries that failed for good (newest first) and the delivery backlog, from the
data directory's database (default ./coffer-data, env COFFER_DATA_DIR). Read-only.
`

/** `coffer events …`: operator commands on a data directory (docs/events.md). Returns the exit code. */
export async function runEventsCommand(
  args: readonly string[],
  io: { out: (text: string) => void; err: (text: string) => void; env: NodeJS.ProcessEnv },
): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'dead-letters') {
    io.err(USAGE)
    return 2
  }
  const { values } = parseArgs({
    args: [...rest],
    options: {
      'data-dir': { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  })
  if (values.help === true) {
    io.out(USAGE)
    return 0
  }
  const paths = dataPaths(values['data-dir'] ?? io.env['COFFER_DATA_DIR'] ?? './coffer-data')
  const database = paths.database
  if (!existsSync(database)) {
    io.err(`coffer: no database at ${database}\n`)
    return 1
  }
  const limit = Number(values.limit ?? 100)
  if (!Number.isInteger(limit) || limit < 1) {
    io.err('coffer: --limit must be a positive integer\n')
    return 2
  }
  const databases = openDatabases(paths, defaultSqliteOptions)
  const db = databases.db
  try {
    const store = new SqliteDeliveryStore(db)
    const letters = await store.listDeadLetters(limit)
    if (values.json === true) {
      io.out(
        `${JSON.stringify(letters.map((l) => ({ ...l, failedAt: new Date(l.failedAt).toISOString() })))}\n`,
      )
      return 0
    }
    const metrics = await readEventMetrics(store, Date.now())
    io.out(
      `backlog: ${metrics.undispatched} undispatched, ${metrics.pendingDeliveries} pending, ` +
        `oldest undelivered ${metrics.oldestUndeliveredAgeSeconds.toFixed(1)} s; ${metrics.deadLetters} dead letters\n`,
    )
    for (const l of letters)
      io.out(
        `${new Date(l.failedAt).toISOString()}  ${l.eventId}  ${l.ruleArn}  target=${l.targetId}  attempts=${l.attempts}  ${l.reason}  ${l.resource}\n`,
      )
    return 0
  } finally {
    closeDataDir(databases)
  }
}
