import { randomBytes } from 'node:crypto'
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort, postgresBinary, run, unprivilegedUser } from './processes.js'

export interface PostgresLogin {
  readonly user: string
  readonly password: string
  readonly database?: string
}

export interface PostgresServer {
  readonly host: '127.0.0.1'
  readonly port: number
  /** The superuser (`postgres`) and its password. */
  readonly user: string
  readonly password: string
  readonly database: 'postgres'
  /** The temporary directory holding the cluster, its log and its unix socket. */
  readonly dir: string
  readonly pid: number
  /** A connected client over TCP: the superuser unless `login` is given. The caller ends it. */
  connect(login?: PostgresLogin): Promise<pg.Client>
  /** Whether these credentials log in over TCP (password authentication is required for every user). */
  canLogIn(login: PostgresLogin): Promise<boolean>
  /** Stops the cluster (immediate shutdown) and removes its directory. */
  stop(): Promise<void>
}

/**
 * A private PostgreSQL cluster: initdb into a temporary directory, listening on 127.0.0.1 on a free port
 * with the unix socket in that directory, SCRAM password authentication for everyone, durability off
 * (it is thrown away). Runs as the `postgres` system user when the tests run as root.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const runAs = unprivilegedUser('postgres')
  const dir = mkdtempSync(join(tmpdir(), 'coffer-pg-'))
  const dataDir = join(dir, 'data')
  const password = randomBytes(18).toString('base64url')
  const stopCluster = async () => {
    await run(postgresBinary('pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '20'], {
      runAs,
    }).catch(() => {
      const pid = readPid(dataDir)
      if (pid !== undefined) process.kill(pid, 'SIGKILL')
    })
  }
  try {
    writeFileSync(join(dir, 'pwfile'), password + '\n', { mode: 0o600 })
    if (runAs !== undefined) {
      chownSync(dir, runAs.uid, runAs.gid)
      chownSync(join(dir, 'pwfile'), runAs.uid, runAs.gid)
    }
    await run(
      postgresBinary('initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        `--pwfile=${join(dir, 'pwfile')}`,
        '--auth=scram-sha-256',
        '--no-sync',
        '--no-instructions',
        '-E',
        'UTF8',
        '--no-locale',
      ],
      { runAs },
    )
    const port = await startOnFreePort(dir, dataDir, runAs)
    const pid = readPid(dataDir)
    if (pid === undefined) throw new Error('postgres started without a postmaster.pid')
    const connect = async (login: PostgresLogin = { user: 'postgres', password }) => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: login.user,
        password: login.password,
        database: login.database ?? 'postgres',
        connectionTimeoutMillis: 5_000,
      })
      client.on('error', () => undefined)
      try {
        await client.connect()
      } catch (error) {
        await client.end().catch(() => undefined)
        throw error
      }
      return client
    }
    return {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
      dir,
      pid,
      connect,
      canLogIn: async (login) => {
        try {
          const client = await connect(login)
          await client.end()
          return true
        } catch (error) {
          // Only a refused password counts as "cannot log in"; anything else is a broken test setup.
          if ((error as { code?: string }).code === '28P01') return false
          throw error
        }
      },
      stop: async () => {
        await stopCluster()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await stopCluster()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

/** pg_ctl start, waiting until it accepts connections; another free port if the chosen one was taken. */
async function startOnFreePort(
  dir: string,
  dataDir: string,
  runAs: ReturnType<typeof unprivilegedUser>,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ')
    try {
      await run(
        postgresBinary('pg_ctl'),
        ['start', '-D', dataDir, '-l', join(dir, 'postgres.log'), '-w', '-t', '30', '-o', options],
        { runAs },
      )
      return port
    } catch (error) {
      const log = readFileSync(join(dir, 'postgres.log'), 'utf8')
      if (attempt >= 3 || !/could not bind|already in use/i.test(log)) {
        throw new Error(`${(error as Error).message}\n${log}`)
      }
    }
  }
}

function readPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}
