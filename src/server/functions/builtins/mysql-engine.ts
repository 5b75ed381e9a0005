import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise'
import {
  CONNECT_TIMEOUT_MS,
  passwordStatement,
  STATEMENT_TIMEOUT_MS,
  type DatabaseEngine,
  type DatabaseSession,
} from './database-rotation.js'

/**
 * MySQL and MariaDB: accounts are `user@host`; a clone is created at each host the base user has, with
 * the base account's grants copied (`SHOW GRANTS`).
 */
export const mysqlEngine: DatabaseEngine = {
  engines: ['mysql', 'mariadb'],
  defaultPort: 3306,
  async connect(secret) {
    const connection = await mysql.createConnection({
      host: secret.host,
      port: secret.port,
      user: secret.username,
      password: secret.password,
      ...(secret.dbname !== undefined && { database: secret.dbname }),
      ...(secret.ssl && { ssl: { rejectUnauthorized: true } }),
      connectTimeout: CONNECT_TIMEOUT_MS,
      charset: 'utf8mb4',
    })
    connection.on('error', () => undefined)
    const mysqlSession = session(connection)
    try {
      // Values are quoted with backslash escapes: make sure the server reads them that way.
      await run(connection, "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')")
    } catch (error) {
      await mysqlSession.close()
      throw error
    }
    return mysqlSession
  },
}

function session(connection: Connection): DatabaseSession {
  return {
    async ping() {
      await run(connection, 'SELECT 1')
    },
    async changeOwnPassword(password) {
      // Changing one's own password needs no privilege only through SET PASSWORD, whose value is a
      // plain password on MySQL 8+ but a hash (hence PASSWORD()) on MariaDB and older MySQL.
      const [rows] = await run(connection, 'SELECT VERSION() AS version')
      const version = String(rows[0]?.version ?? '')
      const plain = !/mariadb/i.test(version) && Number.parseInt(version, 10) >= 8
      await passwordStatement('SET PASSWORD', () =>
        run(connection, plain ? 'SET PASSWORD = ?' : 'SET PASSWORD = PASSWORD(?)', [password]),
      )
    },
    async provisionUser(username, password, likeUsername) {
      const hostsOf = async (user: string) =>
        (await run(connection, 'SELECT Host AS host FROM mysql.user WHERE User = ?', [user]))[0].map((row) =>
          String(row.host),
        )
      const likeHosts = await hostsOf(likeUsername)
      if (likeHosts.length === 0) throw new Error(`User ${likeUsername} does not exist.`)
      const existing = new Set(await hostsOf(username))
      for (const host of likeHosts) {
        if (existing.has(host)) {
          await passwordStatement(`ALTER USER ${username}@${host}`, () =>
            run(connection, 'ALTER USER ?@? IDENTIFIED BY ?', [username, host, password]),
          )
          continue
        }
        await passwordStatement(`CREATE USER ${username}@${host}`, () =>
          run(connection, 'CREATE USER ?@? IDENTIFIED BY ?', [username, host, password]),
        )
        try {
          await copyGrants(connection, likeUsername, username, host)
        } catch (error) {
          // Without its grants the clone must not survive: a retry creates it again, whole.
          await run(connection, 'DROP USER ?@?', [username, host]).catch(() => undefined)
          throw error
        }
      }
    },
    async close() {
      await connection.end().catch(() => connection.destroy())
    },
  }
}

/** Re-issues each of `from@host`'s grants (and default roles) to `to@host`. */
async function copyGrants(connection: Connection, from: string, to: string, host: string): Promise<void> {
  const [rows] = await run(connection, 'SHOW GRANTS FOR ?@?', [from, host])
  const target = `${connection.escape(to)}@${connection.escape(host)}`
  for (const row of rows) {
    const grant = String(Object.values(row)[0])
    const source = grantee(grant, from, host)
    if (source === undefined) continue
    const at = grant.lastIndexOf(` TO ${source}`)
    if (grant.startsWith('GRANT ') && at > 0) {
      const option = /\bWITH (GRANT|ADMIN) OPTION\b/.exec(grant.slice(at + ` TO ${source}`.length))?.[0] ?? ''
      await run(connection, `${grant.slice(0, at)} TO ${target} ${option}`)
    } else if (grant.startsWith('SET DEFAULT ROLE ') && grant.endsWith(` FOR ${source}`)) {
      await run(connection, `${grant.slice(0, -` FOR ${source}`.length)} FOR ${target}`)
    }
  }
}

/** The account as SHOW GRANTS wrote it: `` `u`@`h` `` (MariaDB, MySQL 8) or `'u'@'h'` (MySQL 5.7). */
function grantee(grant: string, user: string, host: string): string | undefined {
  const backticks = (name: string) => '`' + name.replaceAll('`', '``') + '`'
  const quotes = (name: string) => "'" + name.replaceAll("'", "''") + "'"
  return [`${backticks(user)}@${backticks(host)}`, `${quotes(user)}@${quotes(host)}`].find((account) =>
    grant.includes(account),
  )
}

function run(connection: Connection, sql: string, values?: readonly unknown[]) {
  return connection.query<RowDataPacket[]>({
    sql,
    timeout: STATEMENT_TIMEOUT_MS,
    ...(values !== undefined && { values: [...values] }),
  })
}
