import pg from 'pg'
import { startPostgres } from '../support/postgres.js'
import { describeDatabaseRotation, type RotationTarget } from '../support/rotation-suite.js'

const { escapeIdentifier: ident, escapeLiteral: literal } = pg

describeDatabaseRotation(
  'built-in PostgreSQL rotators on a real PostgreSQL',
  async (): Promise<RotationTarget> => {
    const server = await startPostgres()
    const admin = async (sql: string, values: unknown[] = []) => {
      const client = await server.connect()
      try {
        return await client.query(sql, values)
      } finally {
        await client.end()
      }
    }
    try {
      await admin('CREATE TABLE rotation_probe (n integer); INSERT INTO rotation_probe VALUES (1)')
    } catch (error) {
      await server.stop()
      throw error
    }
    return {
      engine: 'postgres',
      singleUser: 'coffer-postgres-single-user',
      alternatingUsers: 'coffer-postgres-alternating-users',
      port: server.port,
      admin: { username: server.user, password: server.password },
      createUser: async (username, password) => {
        await admin(`CREATE ROLE ${ident(username)} LOGIN PASSWORD ${literal(password)}`)
        await admin(`GRANT SELECT ON rotation_probe TO ${ident(username)}`)
      },
      setPassword: async (username, password) => {
        await admin(`ALTER ROLE ${ident(username)} PASSWORD ${literal(password)}`)
      },
      userExists: async (username) =>
        ((await admin('SELECT 1 FROM pg_roles WHERE rolname = $1', [username])).rowCount ?? 0) > 0,
      canLogIn: (user, password) => server.canLogIn({ user, password }),
      readProbe: async (user, password) => {
        const client = await server.connect({ user, password })
        try {
          await client.query('SELECT n FROM rotation_probe')
        } finally {
          await client.end()
        }
      },
      stop: () => server.stop(),
    }
  },
)
