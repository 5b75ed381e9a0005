import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import pg from 'pg'
import {
  CONNECT_TIMEOUT_MS,
  passwordStatement,
  STATEMENT_TIMEOUT_MS,
  type DatabaseEngine,
  type DatabaseSession,
} from './database-rotation.js'
import { RotationError } from './rotation-protocol.js'

/** PostgreSQL: roles, passwords set as SCRAM-SHA-256 verifiers, clones as members of the base role. */
export const postgresEngine: DatabaseEngine = {
  engines: ['postgres'],
  defaultPort: 5432,
  defaultDbname: 'postgres',
  // NAMEDATALEN - 1: longer identifiers are silently truncated, so `<63 bytes>_clone` would collide.
  maxUsernameBytes: 63,
  async connect(secret) {
    const client = new pg.Client({
      host: secret.host,
      port: secret.port,
      user: secret.username,
      password: secret.password,
      database: secret.dbname ?? 'postgres',
      ssl: secret.ssl ? { rejectUnauthorized: true } : false,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: STATEMENT_TIMEOUT_MS,
      application_name: 'coffer-rotation',
    })
    // A connection lost later is reported on the next query; without a listener it would crash the process.
    client.on('error', () => undefined)
    try {
      await client.connect()
    } catch (error) {
      await client.end().catch(() => undefined)
      throw error
    }
    return session(client)
  },
}

function session(client: pg.Client): DatabaseSession {
  return {
    async ping() {
      await client.query('SELECT 1')
    },
    async changeOwnPassword(password) {
      const literal = passwordLiteral(password)
      await passwordStatement('ALTER ROLE CURRENT_USER', () =>
        client.query(`ALTER ROLE CURRENT_USER WITH PASSWORD ${literal}`),
      )
    },
    async provisionUser(username, password, likeUsername) {
      const role = pg.escapeIdentifier(username)
      const literal = passwordLiteral(password)
      const existing = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [username])
      if (existing.rowCount === 0) {
        // One statement: the role never exists without its membership (and so its privileges).
        await passwordStatement(`CREATE ROLE ${username}`, () =>
          client.query(
            `CREATE ROLE ${role} WITH LOGIN PASSWORD ${literal} IN ROLE ${pg.escapeIdentifier(likeUsername)}`,
          ),
        )
      } else {
        await passwordStatement(`ALTER ROLE ${username}`, () =>
          client.query(`ALTER ROLE ${role} WITH PASSWORD ${literal}`),
        )
      }
    },
    async close() {
      await client.end().catch(() => undefined)
    },
  }
}

/**
 * The password as a SCRAM-SHA-256 verifier (what `psql \password` sends), so the password itself never
 * travels in a statement the server could log. PostgreSQL normalises passwords with SASLprep, which leaves
 * printable ASCII unchanged; other characters are refused rather than risk a verifier that cannot log in.
 */
function passwordLiteral(password: string): string {
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw new RotationError('ValueError', 'PostgreSQL passwords set by rotation must be printable ASCII.')
  }
  const iterations = 4096
  const salt = randomBytes(16)
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256')
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest())
  const serverKey = createHmac('sha256', salted).update('Server Key').digest('base64')
  const verifier = `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.digest('base64')}:${serverKey}`
  return pg.escapeLiteral(verifier)
}
