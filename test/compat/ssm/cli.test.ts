/** AWS CLI v2 (Debian `/usr/bin/aws`) against a real server: every Parameter Store command. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CliFailure, cliEnvironment, requireAwsCli, runAws, type CliResult } from '../cli/aws-cli.js'
import { startServer, type TestServer } from '../../support/server.js'
import { uniquePath } from './support.js'

/** `aws ssm <args> --endpoint-url <endpoint> --output json` (and `aws secretsmanager` for the passthrough). */
class Cli {
  readonly home = mkdtempSync(join(tmpdir(), 'coffer-cli-ssm-'))
  invocations = 0
  constructor(readonly server: TestServer) {}

  raw(service: string, args: readonly string[]): Promise<CliResult> {
    this.invocations++
    const full = [service, ...args, '--endpoint-url', this.server.endpoint, '--output', 'json']
    return runAws(full, cliEnvironment(this.server, this.home))
  }

  async json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
    const result = await this.raw('ssm', args)
    if (result.code !== 0) throw new CliFailure(args, result)
    return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T
  }

  async error(...args: string[]): Promise<{ code: string; message: string }> {
    const result = await this.raw('ssm', args)
    if (result.code === 0)
      throw new Error(`aws ssm ${args.join(' ')} succeeded unexpectedly: ${result.stdout}`)
    const match = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)$/m.exec(
      result.stderr,
    )
    if (match === null) throw new CliFailure(args, result)
    return { code: match[1] ?? '', message: (match[2] ?? '').trim() }
  }
}

type Param = { Name: string; Value: string; Version: number; Type: string; Selector?: string; ARN: string }

// Every CLI process costs a second or more (several on a loaded machine): generous per-test timeouts.
describe('AWS CLI v2: aws ssm', { timeout: 300_000 }, () => {
  let server: TestServer
  let cli: Cli
  beforeAll(async () => {
    requireAwsCli()
    server = await startServer()
    cli = new Cli(server)
  })
  afterAll(async () => {
    if (cli !== undefined) rmSync(cli.home, { recursive: true, force: true })
    await server?.stop({ cleanup: true })
  })

  it('put-parameter, get-parameter (selectors, decryption), get-parameters', async () => {
    const base = uniquePath('cli')
    expect(
      await cli.json('put-parameter', '--name', `${base}/db`, '--value', 'pw1', '--type', 'SecureString'),
    ).toEqual({
      Version: 1,
      Tier: 'Standard',
    })
    await cli.json('put-parameter', '--name', `${base}/db`, '--value', 'pw2', '--overwrite')
    await cli.json('put-parameter', '--name', `${base}/list`, '--value', 'a,b', '--type', 'StringList')
    const got = await cli.json<{ Parameter: Param }>(
      'get-parameter',
      '--name',
      `${base}/db`,
      '--with-decryption',
    )
    expect(got.Parameter).toMatchObject({
      Name: `${base}/db`,
      Value: 'pw2',
      Version: 2,
      Type: 'SecureString',
    })
    const old = await cli.json<{ Parameter: Param }>(
      'get-parameter',
      '--name',
      `${base}/db:1`,
      '--with-decryption',
    )
    expect(old.Parameter).toMatchObject({ Value: 'pw1', Version: 1, Selector: ':1' })
    const many = await cli.json<{ Parameters: Param[]; InvalidParameters: string[] }>(
      'get-parameters',
      '--names',
      `${base}/list`,
      `${base}/none`,
      `${base}/db`,
    )
    expect(many.Parameters.map((p) => p.Name)).toEqual([`${base}/db`, `${base}/list`])
    expect(many.InvalidParameters).toEqual([`${base}/none`])
    expect(await cli.error('get-parameter', '--name', `${base}/none`)).toEqual({
      code: 'ParameterNotFound',
      message: '',
    })
    expect(
      await cli.error('put-parameter', '--name', `${base}/db`, '--value', 'x', '--type', 'String'),
    ).toMatchObject({
      code: 'ParameterAlreadyExists',
    })
  })

  it('get-parameters-by-path (auto-paginated), describe-parameters, get-parameter-history', async () => {
    const base = uniquePath('clipath')
    for (const n of ['a', 'b', 'c', 'd/e']) {
      await cli.json('put-parameter', '--name', `${base}/${n}`, '--value', n, '--type', 'String')
    }
    const all = await cli.json<{ Parameters: Param[] }>(
      'get-parameters-by-path',
      '--path',
      base,
      '--recursive',
      '--page-size',
      '1',
    )
    expect(all.Parameters.map((p) => p.Value)).toEqual(['a', 'b', 'c', 'd/e'])
    const described = await cli.json<{ Parameters: { Name: string }[] }>(
      'describe-parameters',
      '--parameter-filters',
      `Key=Path,Option=OneLevel,Values=${base}`,
      'Key=Type,Values=String',
    )
    expect(described.Parameters.map((p) => p.Name)).toEqual([`${base}/a`, `${base}/b`, `${base}/c`])
    expect(await cli.error('describe-parameters', '--parameter-filters', 'Key=Label,Values=x')).toMatchObject(
      { code: 'InvalidFilterKey' },
    )
    await cli.json('put-parameter', '--name', `${base}/a`, '--value', 'a2', '--overwrite')
    const history = await cli.json<{ Parameters: { Version: number; Value: string }[] }>(
      'get-parameter-history',
      '--name',
      `${base}/a`,
    )
    expect(history.Parameters.map((p) => [p.Version, p.Value])).toEqual([
      [1, 'a'],
      [2, 'a2'],
    ])
  })

  it('label-parameter-version, unlabel-parameter-version', async () => {
    const name = uniquePath('clilabel')
    await cli.json('put-parameter', '--name', name, '--value', 'v', '--type', 'String')
    expect(await cli.json('label-parameter-version', '--name', name, '--labels', 'prod', '1bad')).toEqual({
      InvalidLabels: ['1bad'],
      ParameterVersion: 1,
    })
    expect(
      await cli.json(
        'unlabel-parameter-version',
        '--name',
        name,
        '--parameter-version',
        '1',
        '--labels',
        'prod',
        'qa',
      ),
    ).toEqual({ RemovedLabels: ['prod'], InvalidLabels: ['qa'] })
  })

  it('add-tags-to-resource, list-tags-for-resource, remove-tags-from-resource, delete-parameter(s)', async () => {
    const base = uniquePath('clitag')
    await cli.json('put-parameter', '--name', `${base}/a`, '--value', 'v', '--type', 'String')
    await cli.json('put-parameter', '--name', `${base}/b`, '--value', 'v', '--type', 'String')
    const id = ['--resource-type', 'Parameter', '--resource-id', `${base}/a`]
    await cli.json('add-tags-to-resource', ...id, '--tags', 'Key=env,Value=prod')
    expect(await cli.json('list-tags-for-resource', ...id)).toEqual({
      TagList: [{ Key: 'env', Value: 'prod' }],
    })
    await cli.json('remove-tags-from-resource', ...id, '--tag-keys', 'env')
    expect(await cli.json('list-tags-for-resource', ...id)).toEqual({ TagList: [] })
    expect(await cli.json('delete-parameters', '--names', `${base}/b`, `${base}/zz`)).toEqual({
      DeletedParameters: [`${base}/b`],
      InvalidParameters: [`${base}/zz`],
    })
    expect(await cli.json('delete-parameter', '--name', `${base}/a`)).toEqual({})
    expect(await cli.error('delete-parameter', '--name', `${base}/a`)).toEqual({
      code: 'ParameterNotFound',
      message: '',
    })
  })

  it('reads a Secrets Manager secret through /aws/reference/secretsmanager/', async () => {
    const secret = `cli/${uniquePath('ref').slice(1)}`
    const created = await cli.raw('secretsmanager', [
      'create-secret',
      '--name',
      secret,
      '--secret-string',
      's3',
    ])
    expect(created.code, created.stderr).toBe(0)
    const name = `/aws/reference/secretsmanager/${secret}`
    const got = await cli.json<{ Parameter: Param }>('get-parameter', '--name', name, '--with-decryption')
    expect(got.Parameter).toMatchObject({ Name: name, Value: 's3', Version: 0, Type: 'SecureString' })
    expect(got.Parameter.ARN).toBe((JSON.parse(created.stdout) as { ARN: string }).ARN)
    expect(await cli.error('get-parameter', '--name', name)).toEqual({
      code: 'ValidationException',
      message: 'WithDecryption flag must be True for retrieving a Secret Manager secret.',
    })
  })
})
