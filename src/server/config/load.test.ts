import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaults } from './config.js'
import { ConfigError, loadConfig } from './load.js'

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'coffer-config-')), 'coffer.yaml')
  writeFileSync(path, text)
  return path
}

describe('loadConfig', () => {
  it('starts from the defaults and resolves the data directory', () => {
    const config = loadConfig({}, {})
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4566,
      region: 'us-east-1',
      dev: false,
      workers: 1,
    })
    expect(config.dataDir.endsWith('coffer-data')).toBe(true)
    expect(Object.isFrozen(config.sqlite)).toBe(true)
  })

  it('layers file < environment < flags', () => {
    const path = file(
      'port: 5000\nregion: eu-west-1\nsqlite:\n  synchronous: NORMAL\npurgeIntervalSeconds: 5\n',
    )
    const config = loadConfig(
      { config: path, region: 'ap-south-1' },
      { COFFER_PORT: '6000', COFFER_REGION: 'us-west-2' },
    )
    expect(config.port).toBe(6000)
    expect(config.region).toBe('ap-south-1')
    expect(config.sqlite).toEqual({ ...defaults.sqlite, synchronous: 'NORMAL' })
    expect(config.purgeIntervalSeconds).toBe(5)
  })

  it('reads COFFER_DEV as a switch', () => {
    expect(loadConfig({}, { COFFER_DEV: 'true' }).dev).toBe(true)
    expect(loadConfig({}, { COFFER_DEV: '0' }).dev).toBe(false)
  })

  it('names the bad setting', () => {
    expect(() => loadConfig({ port: 'eighty' }, {})).toThrow(/port must be an integer/)
    expect(() => loadConfig({ 'account-id': '123' }, {})).toThrow(/account id must be 12 digits/)
    expect(() => loadConfig({ region: 'mars' }, {})).toThrow(ConfigError)
    expect(() => loadConfig({ config: file('bogus: 1\n') }, {})).toThrow(/unknown setting 'bogus'/)
    expect(() => loadConfig({ config: file('port: "x"\n') }, {})).toThrow(/must be a number/)
    expect(() => loadConfig({ config: file('sqlite: 3\n') }, {})).toThrow(/must be a mapping/)
    expect(() => loadConfig({ config: '/nonexistent/coffer.yaml' }, {})).toThrow(/cannot read config file/)
  })
})
