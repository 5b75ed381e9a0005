import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './load.js'

const dir = mkdtempSync(join(tmpdir(), 'coffer-events-config-'))
const keyFile = join(dir, 'key')
writeFileSync(keyFile, '0123456789abcdef0123\n')

function load(events: unknown) {
  const path = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(path, JSON.stringify({ events }))
  return loadConfig({ config: path }, {})
}

describe('events configuration', () => {
  it('reads destinations, rules (a pattern mapping becomes JSON text) and delivery settings', () => {
    const config = load({
      destinations: [{ name: 'hook', url: 'https://example.test/hook', signingKeyFile: keyFile }],
      rules: [
        {
          name: 'r',
          eventPattern: { source: ['aws.secretsmanager'] },
          targets: [{ id: 't', destination: 'hook' }],
        },
      ],
      delivery: { maxAttempts: 3 },
    })
    expect(config.events.destinations).toEqual([
      { name: 'hook', url: 'https://example.test/hook', signingKeyFile: keyFile },
    ])
    expect(config.events.rules[0]).toMatchObject({ eventPattern: '{"source":["aws.secretsmanager"]}' })
    expect(config.events.delivery).toMatchObject({ maxAttempts: 3, timeoutSeconds: 10 })
  })

  it.each([
    [{ destinations: [{ name: 'a b', url: 'https://x', signingKeyFile: keyFile }] }, /name must be/],
    [
      { destinations: [{ name: 'a', url: 'ftp://x', signingKeyFile: keyFile }] },
      /url must be an http\(s\) URL/,
    ],
    [
      { destinations: [{ name: 'a', url: 'https://x', signingKeyFile: join(dir, 'missing') }] },
      /cannot read/,
    ],
    [
      { destinations: [{ name: 'a', url: 'https://x', signingKeyFile: keyFile, extra: 1 }] },
      /unknown setting 'extra'/,
    ],
    [
      {
        destinations: [
          { name: 'a', url: 'https://x', signingKeyFile: keyFile },
          { name: 'a', url: 'https://y', signingKeyFile: keyFile },
        ],
      },
      /declared twice/,
    ],
    [{ rules: [{ name: 'r', eventPattern: 5 }] }, /eventPattern must be a mapping/],
    [{ delivery: { maxAttempts: 0 } }, /maxAttempts must be a number/],
    [{ destinations: {} }, /must be a list/],
  ])('refuses %j', (events, message) => {
    expect(() => load(events)).toThrow(ConfigError)
    expect(() => load(events)).toThrow(message)
  })
})
