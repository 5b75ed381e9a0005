import { describe, expect, it } from 'vitest'
import {
  alternateUsername,
  parseDatabaseSecret,
  parseMasterSecret,
  type DatabaseKind,
} from './database-secret.js'

const postgres: DatabaseKind = { engines: ['postgres'], defaultPort: 5432, defaultDbname: 'postgres' }
const mysql: DatabaseKind = { engines: ['mysql', 'mariadb'], defaultPort: 3306 }
const base = { engine: 'postgres', host: 'db', username: 'app', password: 'pw-Secret1' }
const parse = (kind: DatabaseKind, value: unknown) =>
  parseDatabaseSecret(kind, JSON.stringify(value), 'AWSCURRENT')
const failure = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message }
  }
  throw new Error('expected a failure')
}

describe('database secret JSON', () => {
  it('applies the engine defaults and keeps every field to copy', () => {
    const secret = parse(postgres, { ...base, extra: { a: 1 } })
    expect(secret).toMatchObject({ port: 5432, dbname: 'postgres', ssl: false, username: 'app' })
    expect(secret.fields).toEqual({ ...base, extra: { a: 1 } })
    const my = parse(mysql, { ...base, engine: 'mariadb', port: '3307', ssl: 'TRUE' })
    expect(my).toMatchObject({ port: 3307, ssl: true })
    expect(my.dbname).toBeUndefined()
  })

  it('names the missing or invalid field, as a KeyError or ValueError, without quoting the value', () => {
    expect(failure(() => parse(postgres, { ...base, password: undefined }))).toEqual({
      name: 'KeyError',
      message: 'password key is missing from secret JSON (AWSCURRENT).',
    })
    expect(failure(() => parse(postgres, { ...base, engine: 'mysql' })).name).toBe('KeyError')
    expect(failure(() => parse(postgres, { ...base, port: 70000 })).message).toMatch(/^port in secret JSON/)
    expect(failure(() => parse(postgres, { ...base, ssl: 'maybe' })).message).toMatch(/^ssl in secret JSON/)
    expect(failure(() => parse(postgres, { ...base, username: 7 })).name).toBe('ValueError')
    for (const text of ['{"password": "pw-Secret1"', '["pw-Secret1"]', 'null', 'pw-Secret1']) {
      const error = failure(() => parseDatabaseSecret(postgres, text, 'AWSPENDING'))
      expect(error).toEqual({
        name: 'ValueError',
        message: 'The secret value (AWSPENDING) is not a JSON object.',
      })
    }
  })

  it('a master secret needs only credentials, takes the rest from the user secret, and must be on its host', () => {
    const user = parse(postgres, { ...base, port: 6543, dbname: 'appdb' })
    const master = parseMasterSecret(postgres, '{"username":"admin","password":"m"}', user, 'master secret')
    expect(master).toMatchObject({
      host: 'db',
      port: 6543,
      dbname: 'appdb',
      username: 'admin',
      engine: 'postgres',
    })
    expect(
      failure(() =>
        parseMasterSecret(postgres, '{"host":"other","username":"a","password":"m"}', user, 'master'),
      ),
    ).toEqual({
      name: 'ValueError',
      message: "The master is for host other, not the secret's database host db.",
    })
  })

  it('alternates between <base> and <base>_clone', () => {
    expect(alternateUsername('app')).toBe('app_clone')
    expect(alternateUsername('app_clone')).toBe('app')
    expect(alternateUsername(alternateUsername('a_clone_x'))).toBe('a_clone_x')
  })
})
