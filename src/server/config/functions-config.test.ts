import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './load.js'

const dir = mkdtempSync(join(tmpdir(), 'coffer-config-functions-'))
const code = join(dir, 'rotator')
mkdirSync(code)
const keyFile = join(dir, 'hook.key')
writeFileSync(keyFile, `${'k'.repeat(48)}\n`)
const ROLE = 'arn:aws:iam::000000000000:role/rotator'

function load(yaml: string) {
  const path = join(mkdtempSync(join(dir, 'cfg-')), 'coffer.yaml')
  writeFileSync(path, yaml)
  return loadConfig({ config: path }, {})
}

describe('functions in the config file', () => {
  it('reads process functions and webhooks, with absolute paths', () => {
    const config = load(`
functions:
  - name: rotate-app
    role: ${ROLE}
    runtime: python
    handler: lambda_function.lambda_handler
    code: ${code}
    timeout: 60
    memory: 256
    environment: { STAGE: prod, RETRIES: 3 }
  - name: rotate-hook
    role: ${ROLE}
    url: https://hooks.example.com/rotate
    signingKeyFile: ${keyFile}
    region: eu-west-1
`)
    expect(config.functions).toEqual([
      {
        name: 'rotate-app',
        role: ROLE,
        runtime: 'python',
        handler: 'lambda_function.lambda_handler',
        code,
        timeout: 60,
        memory: 256,
        environment: { STAGE: 'prod', RETRIES: '3' },
      },
      {
        name: 'rotate-hook',
        role: ROLE,
        url: 'https://hooks.example.com/rotate',
        signingKeyFile: keyFile,
        region: 'eu-west-1',
      },
    ])
    expect(Object.isFrozen(config.functions[0])).toBe(true)
    expect(load('port: 1\n').functions).toEqual([])
  })

  it('names the entry and the problem', () => {
    const cases: [string, RegExp][] = [
      ['functions: {a: 1}', /functions must be a list/],
      ['functions: [x]', /functions\[0\] must be a mapping/],
      [
        `functions: [{name: a, role: ${ROLE}, url: 'https://x.example.com', signingKeyFile: ${keyFile}, colour: red}]`,
        /unknown setting 'colour'/,
      ],
      ['functions: [{role: r}]', /name is required/],
      [`functions: [{name: a, runtime: nodejs, handler: i.h, code: ${code}}]`, /\(a\): role is required/],
      [`functions: [{name: a, role: ${ROLE}, runtime: nodejs, handler: i.h}]`, /needs code/],
      [
        `functions: [{name: a, role: ${ROLE}, runtime: nodejs, handler: i.h, code: ${join(dir, 'nope')}}]`,
        /is not a directory/,
      ],
      [`functions: [{name: a, role: ${ROLE}, url: 'https://x.example.com'}]`, /webhook needs signingKeyFile/],
      [
        `functions: [{name: a, role: ${ROLE}, url: 'https://x.example.com', signingKeyFile: ${join(dir, 'nope')}}]`,
        /cannot read signingKeyFile/,
      ],
      [
        `functions: [{name: a, role: ${ROLE}, runtime: nodejs, handler: i.h, code: ${code}, timeout: 1000}]`,
        /timeout must be 1-900/,
      ],
      [
        `functions: [{name: a, role: ${ROLE}, runtime: nodejs, handler: i.h, code: ${code}, timeout: '5'}]`,
        /timeout must be a number/,
      ],
      [
        `functions: [{name: coffer-x, role: ${ROLE}, runtime: nodejs, handler: i.h, code: ${code}}]`,
        /reserved for the built-in/,
      ],
      [
        `functions: [{name: a, role: ${ROLE}, runtime: nodejs, handler: i.h, code: ${code}, environment: {AWS_REGION: x}}]`,
        /'AWS_REGION' is reserved/,
      ],
      [
        `functions: [{name: a, role: ${ROLE}, runtime: nodejs, handler: i.h, code: ${code}}, {name: a, role: ${ROLE}, runtime: nodejs, handler: i.h, code: ${code}}]`,
        /declared twice/,
      ],
    ]
    for (const [yaml, message] of cases) {
      expect(() => load(yaml), yaml).toThrow(ConfigError)
      expect(() => load(yaml), yaml).toThrow(message)
    }
  })
})
