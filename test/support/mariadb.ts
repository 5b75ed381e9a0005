import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise'
import { delay, freePort, run, systemBinary } from './processes.js'

export interface MariaDbLogin {
  readonly user: string
  readonly password: string
  readonly database?: string
}

export interface MariaDbServer {
  readonly host: '127.0.0.1'
  readonly port: number
  /** `root` and its password (set for every root account). */
  readonly user: string
  readonly password: string
  readonly socketPath: string
  /** The temporary directory holding the data directory, the socket and the error log. */
  readonly dir: string
  readonly pid: number
  /** A connection over TCP: root unless `login` is given. The caller ends it. */
  connect(login?: MariaDbLogin): Promise<Connection>
  /** Whether these credentials log in over TCP. */
  canLogIn(login: MariaDbLogin): Promise<boolean>
  /** Stops the server (SIGTERM by PID, SIGKILL if it lingers) and removes its directory. */
  stop(): Promise<void>
}

/**
 * A private MariaDB server: mariadb-install-db into a temporary directory, mariadbd on 127.0.0.1 on a free
 * port with its socket in that directory, no name resolution, root password set. Durability is relaxed
 * (it is thrown away). Runs as the current user (`--user`, which mariadbd requires when that is root).
 * `args` are extra mariadbd options.
 */
export async function startMariaDb(
  options: { readonly args?: readonly string[] } = {},
): Promise<MariaDbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-mariadb-'))
  const dataDir = join(dir, 'data')
  const socketPath = join(dir, 'mariadb.sock')
  const user = `--user=${userInfo().username}`
  const password = randomBytes(18).toString('base64url')
  let child: ChildProcess | undefined
  const stopServer = async () => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  try {
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${dataDir}`,
      user,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
    ])
    let port = 0
    for (let attempt = 1; child === undefined; attempt++) {
      port = await freePort()
      const started = spawn(
        systemBinary('mariadbd'),
        [
          '--no-defaults',
          `--datadir=${dataDir}`,
          `--socket=${socketPath}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          user,
          `--pid-file=${join(dir, 'mariadb.pid')}`,
          `--log-error=${join(dir, 'error.log')}`,
          '--skip-name-resolve',
          '--skip-log-bin',
          '--innodb-buffer-pool-size=16M',
          '--innodb-flush-log-at-trx-commit=0',
          '--innodb-doublewrite=0',
          ...(options.args ?? []),
        ],
        { stdio: 'ignore' },
      )
      if (await becameReady(started, socketPath)) child = started
      else if (attempt >= 3 || !/already in use|bind/i.test(errorLog(dir))) {
        started.kill('SIGKILL')
        throw new Error(`mariadbd did not start:\n${errorLog(dir)}`)
      }
    }
    // mariadb-install-db created the root accounts without a password: give ours to every one a
    // connection can match (without name resolution, root@<hostname> never matches and cannot be altered).
    const admin = await mysql.createConnection({ socketPath, user: 'root' })
    try {
      const [roots] = await admin.query<RowDataPacket[]>(
        "SELECT Host FROM mysql.user WHERE User = 'root' AND Host IN ('localhost', '127.0.0.1', '::1')",
      )
      for (const { Host } of roots)
        await admin.query('ALTER USER ?@? IDENTIFIED BY ?', ['root', Host, password])
    } finally {
      await admin.end()
    }
    const connect = async (login: MariaDbLogin = { user: 'root', password }) => {
      const connection = await mysql.createConnection({
        host: '127.0.0.1',
        port,
        user: login.user,
        password: login.password,
        ...(login.database !== undefined && { database: login.database }),
        connectTimeout: 5_000,
      })
      connection.on('error', () => undefined)
      return connection
    }
    const pid = child.pid
    if (pid === undefined) throw new Error('mariadbd has no pid')
    return {
      host: '127.0.0.1',
      port,
      user: 'root',
      password,
      socketPath,
      dir,
      pid,
      connect,
      canLogIn: async (login) => {
        try {
          await (await connect(login)).end()
          return true
        } catch (error) {
          // Only a refused login counts as "cannot log in"; anything else is a broken test setup.
          if ((error as { code?: string }).code === 'ER_ACCESS_DENIED_ERROR') return false
          throw error
        }
      },
      stop: async () => {
        await stopServer()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await stopServer()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

/** Waits until root can log in through the socket; false if the server exits first. */
async function becameReady(child: ChildProcess, socketPath: string): Promise<boolean> {
  let exited = false
  child.once('exit', () => (exited = true))
  const deadline = Date.now() + 30_000
  while (!exited && Date.now() < deadline) {
    try {
      await (await mysql.createConnection({ socketPath, user: 'root', connectTimeout: 1_000 })).end()
      return true
    } catch {
      await delay(50)
    }
  }
  if (!exited) child.kill('SIGKILL')
  return false
}

function errorLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8')
  } catch {
    return ''
  }
}
