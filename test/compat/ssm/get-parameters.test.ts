/** GetParameters through @aws-sdk/client-ssm and raw HTTP (spec §5.2). */
import {
  GetParametersCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm'
import { describe, expect, it } from 'vitest'
import { expectSsmError, rawSsm, uniquePath, useSsmServer } from './support.js'

const h = useSsmServer()
const put = (input: PutParameterCommandInput) => h.ssm.send(new PutParameterCommand(input))

describe('GetParameters', () => {
  it('returns found parameters sorted by name and the others in InvalidParameters', async () => {
    const base = uniquePath('many')
    for (const name of ['c', 'a', 'b']) await put({ Name: `${base}/${name}`, Value: name, Type: 'String' })
    await put({ Name: `${base}/s`, Value: 'secret', Type: 'SecureString' })
    const result = await h.ssm.send(
      new GetParametersCommand({
        Names: [`${base}/c`, `${base}/missing`, `${base}/a`, `${base}/s`, `${base}/b`, `${base}/a:9`],
        WithDecryption: true,
      }),
    )
    expect(result.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      [`${base}/a`, 'a'],
      [`${base}/b`, 'b'],
      [`${base}/c`, 'c'],
      [`${base}/s`, 'secret'],
    ])
    expect(result.InvalidParameters).toEqual([`${base}/missing`, `${base}/a:9`])
  })

  it('sends InvalidParameters as [] when every name was found', async () => {
    const name = `${uniquePath('all')}/x`
    await put({ Name: name, Value: 'v', Type: 'String' })
    const raw = await rawSsm(h.server, 'GetParameters', { Names: [name] })
    expect(raw.status).toBe(200)
    const body = raw.json as {
      Parameters: { Name: string; LastModifiedDate: unknown }[]
      InvalidParameters: []
    }
    expect(body.InvalidParameters).toEqual([])
    expect(body.Parameters.map((p) => p.Name)).toEqual([name])
    expect(typeof body.Parameters[0]?.LastModifiedDate).toBe('number')
    const none = await rawSsm(h.server, 'GetParameters', { Names: [`${name}-no`] })
    expect(none.json).toEqual({ Parameters: [], InvalidParameters: [`${name}-no`] })
  })

  it('accepts selectors and ARNs, leaves SecureStrings encrypted without WithDecryption', async () => {
    const name = `${uniquePath('sel')}/p`
    await put({ Name: name, Value: 'v1', Type: 'SecureString' })
    await put({ Name: name, Value: 'v2', Overwrite: true })
    await h.ssm.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: 1, Labels: ['old'] }))
    const arn = `arn:aws:ssm:${h.region}:${h.accountId}:parameter${name}`
    const decrypted = await h.ssm.send(
      new GetParametersCommand({ Names: [`${name}:old`, `${arn}:2`, name], WithDecryption: true }),
    )
    expect(decrypted.Parameters?.map((p) => [p.Name, p.Value, p.Version, p.Selector])).toEqual([
      [name, 'v1', 1, ':old'],
      [name, 'v2', 2, ':2'],
      [name, 'v2', 2, undefined],
    ])
    const encrypted = await h.ssm.send(new GetParametersCommand({ Names: [name] }))
    expect(encrypted.Parameters?.[0]?.Value).not.toBe('v2')
    expect(Buffer.from(encrypted.Parameters?.[0]?.Value ?? '', 'base64').length).toBeGreaterThan(40)
  })

  it('validates Names: 1 to 10 entries', async () => {
    await expectSsmError(h.ssm.send(new GetParametersCommand({ Names: [] })), 'ValidationException')
    const eleven = Array.from({ length: 11 }, (_, i) => `/n${i}`)
    await expectSsmError(
      h.ssm.send(new GetParametersCommand({ Names: eleven })),
      'ValidationException',
      /Member must have length less than or equal to 10/,
    )
  })
})
