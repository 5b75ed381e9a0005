import { startMariaDb } from '../support/mariadb.js'
import { describeDatabaseRotation, type RotationTarget } from '../support/rotation-suite.js'

describeDatabaseRotation('built-in MySQL rotators on a real MariaDB', async (): Promise<RotationTarget> => {
  // Backslashes are plain characters in this server's string literals: the rotators must quote for it.
  const server = await startMariaDb({
    args: [
      '--sql-mode=STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION,NO_BACKSLASH_ESCAPES',
    ],
  })
  const admin = async (sql: string, values: unknown[] = []) => {
    const connection = await server.connect()
    try {
      // This helper's own quoting (mysql2's) uses backslashes.
      await connection.query("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')")
      const [rows] = await connection.query(sql, values)
      return rows
    } finally {
      await connection.end()
    }
  }
  try {
    await admin('CREATE DATABASE probe')
    await admin('CREATE TABLE probe.rotation_probe (n integer)')
    await admin('INSERT INTO probe.rotation_probe VALUES (1)')
  } catch (error) {
    await server.stop()
    throw error
  }
  return {
    engine: 'mariadb',
    singleUser: 'coffer-mysql-single-user',
    alternatingUsers: 'coffer-mysql-alternating-users',
    port: server.port,
    admin: { username: server.user, password: server.password },
    createUser: async (username, password) => {
      await admin("CREATE USER ?@'%' IDENTIFIED BY ?", [username, password])
      await admin("GRANT SELECT ON probe.* TO ?@'%'", [username])
    },
    setPassword: async (username, password) => {
      await admin("ALTER USER ?@'%' IDENTIFIED BY ?", [username, password])
    },
    userExists: async (username) =>
      ((await admin('SELECT 1 FROM mysql.user WHERE User = ?', [username])) as unknown[]).length > 0,
    canLogIn: (user, password) => server.canLogIn({ user, password }),
    readProbe: async (user, password) => {
      const connection = await server.connect({ user, password })
      try {
        await connection.query('SELECT n FROM probe.rotation_probe')
      } finally {
        await connection.end()
      }
    },
    stop: () => server.stop(),
  }
})
