/**
 * Schema-driven fast-check arbitraries for any awsJson service's request bodies, from its generated
 * shape table: model-valid inputs (with per-shape domain overrides), inputs with exactly one
 * constraint violated, and garbage (wrong JSON types, nulls, extra members, huge numbers, deep nesting,
 * non-object bodies, invalid JSON, invalid UTF-8, duplicate members, lone surrogates).
 *
 * The Secrets Manager fuzzer (test/integration/fuzz/inputs.ts) does the same for its one table; this
 * module takes the table and the overrides as parameters, so other services reuse it.
 */
import fc from 'fast-check'
import type { ShapeSchema, StructureSchema } from '../../../../src/lib/aws/schema-types.js'
import { withRawMember, type FuzzBody } from '../../../integration/fuzz/inputs.js'

export type { FuzzBody }

export interface SchemaFuzzer {
  validValue(shapeName: string, depth?: number): fc.Arbitrary<unknown>
  requestBody(inputShape: string, scenario?: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<FuzzBody>
}

/** Code-point length, as the model's length constraints count. */
const cpLength = (s: string) => [...s].length

/** Control characters (NUL included) that storage layers and loggers like to mishandle. */
const CONTROL_AND_TEXT = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\t',
  '\n',
  '\r',
  '\u001f',
  '\u007f',
  '"',
  '\\',
  'a',
  '9',
  ' ',
)

export const anyString = (minLength: number, maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength }) },
    { weight: 2, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength, unit: CONTROL_AND_TEXT }) },
  )

/** Optional members appear in about a third of the inputs, so conflicting options stay the exception. */
export const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb })

const WRONG_TYPES: readonly unknown[] = [1, -1.5, true, false, 'str', [], ['a'], {}, { a: 1 }, [[[]]]]
const HUGE_NUMBERS = [
  '1e400',
  '-1e400',
  '1e308',
  '9007199254740993',
  '123456789012345678901234567890',
  '-0',
  '0.5',
]
const NON_OBJECT_BODIES = ['[]', '"x"', '42', 'null', 'true', '[{}]', '""', '1e400']
const INVALID_JSON = [
  '{',
  '}',
  '{"Name":}',
  "{'Name':'x'}",
  '{"Name":"x",}',
  'NaN',
  '{"a":1}{"b":2}',
  '\u0000',
  ' ',
]
const BAD_UTF8: readonly number[][] = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]

function wrongTypeFor(s: ShapeSchema): fc.Arbitrary<unknown> {
  const candidates = WRONG_TYPES.filter((v) => {
    switch (s.type) {
      case 'string':
      case 'blob':
      case 'timestamp':
        return typeof v !== 'string'
      case 'integer':
      case 'long':
      case 'double':
      case 'float':
        return typeof v !== 'number'
      case 'boolean':
        return typeof v !== 'boolean'
      case 'list':
        return !Array.isArray(v)
      case 'structure':
      case 'map':
        return typeof v !== 'object' || Array.isArray(v)
    }
  })
  return fc.constantFrom(...candidates)
}

/** A valid-looking JSON body whose string member `key` contains bytes that are not UTF-8. */
function withInvalidUtf8(obj: Record<string, unknown>, key: string, bytes: readonly number[]): Uint8Array {
  const marker = '\u0001MARK\u0001'
  const text = JSON.stringify({ ...obj, [key]: `a${marker}b` })
  const [before, after] = text.split(JSON.stringify(marker).slice(1, -1)) as [string, string]
  return Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from(bytes), Buffer.from(after, 'utf8')])
}

const json = (note: string, value: unknown): FuzzBody => ({ kind: 'json', note, value })
const raw = (note: string, body: string | Uint8Array): FuzzBody => ({ kind: 'raw', note, raw: body })

export function schemaFuzzer(
  table: Readonly<Record<string, ShapeSchema>>,
  override: (shapeName: string) => fc.Arbitrary<unknown> | undefined,
): SchemaFuzzer {
  const shape = (name: string): ShapeSchema => {
    const s = table[name]
    if (s === undefined) throw new Error(`unknown shape ${name}`)
    return s
  }

  function validValue(shapeName: string, depth = 0): fc.Arbitrary<unknown> {
    const custom = override(shapeName)
    if (custom !== undefined) return custom
    const s = shape(shapeName)
    switch (s.type) {
      case 'string': {
        if (s.enum !== undefined) return fc.constantFrom(...s.enum)
        const min = s.min ?? 0
        const max = s.max ?? 4096
        if (s.pattern !== undefined) {
          const re = new RegExp(s.pattern, 'u')
          return fc
            .stringMatching(new RegExp(`^(?:${s.pattern})$`))
            .filter((v) => re.test(v) && cpLength(v) >= min && cpLength(v) <= max)
        }
        return anyString(min, Math.min(max, min + 24))
      }
      case 'integer':
      case 'long':
        return fc.integer({ min: s.min ?? -1000, max: s.max ?? 1000 })
      case 'double':
      case 'float':
        return fc.double({ min: s.min ?? -1e6, max: s.max ?? 1e6, noNaN: true })
      case 'boolean':
        return fc.boolean()
      case 'blob':
        return fc
          .uint8Array({ minLength: Math.max(1, s.min ?? 0), maxLength: 32 })
          .map((b) => Buffer.from(b).toString('base64'))
      case 'timestamp':
        return fc.integer({ min: 0, max: 2_000_000_000 })
      case 'list': {
        const min = s.min ?? 0
        const max = Math.max(min, Math.min(s.max ?? 4, depth > 1 ? 2 : 4))
        return fc.array(validValue(s.member.shape, depth + 1), { minLength: min, maxLength: max })
      }
      case 'map':
        return fc.dictionary(
          validValue(s.key.shape, depth + 1) as fc.Arbitrary<string>,
          validValue(s.value.shape, depth + 1),
          { maxKeys: 3 },
        )
      case 'structure':
        return validStructure(s, depth)
    }
  }

  function validStructure(s: StructureSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const required = new Set(s.required ?? [])
    const model: Record<string, fc.Arbitrary<unknown>> = {}
    for (const [member, ref] of Object.entries(s.members)) {
      const arb = validValue(ref.shape, depth + 1)
      model[member] = required.has(member) ? arb : optional(arb)
    }
    return fc.record(model).map((record) => {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v
      return out
    })
  }

  function constraintViolation(shapeName: string): fc.Arbitrary<unknown> {
    const s = shape(shapeName)
    const options: fc.Arbitrary<unknown>[] = [wrongTypeFor(s)]
    if (s.type === 'string') {
      if (s.min !== undefined && s.min > 0) options.push(fc.constant('x'.repeat(s.min - 1)))
      if (s.max !== undefined && s.max < 70_000)
        options.push(fc.constantFrom('x'.repeat(s.max + 1), '€'.repeat(s.max + 1)))
      if (s.enum !== undefined)
        options.push(fc.constantFrom('not-an-enum', (s.enum[0] ?? '').toUpperCase() + '!', ''))
      if (s.pattern !== undefined) {
        const re = new RegExp(s.pattern, 'u')
        options.push(fc.constantFrom('', ' ', '\u0000', 'ü~', '%%%', '<script>').filter((v) => !re.test(v)))
      }
    } else if (s.type === 'integer' || s.type === 'long') {
      if (s.min !== undefined) options.push(fc.constantFrom(s.min - 1, -2147483648))
      if (s.max !== undefined) options.push(fc.constantFrom(s.max + 1, 2147483647))
      options.push(fc.constantFrom(1.5, 2 ** 53 + 2, s.type === 'integer' ? 2 ** 31 : 2 ** 63))
    } else if (s.type === 'list') {
      if (s.min !== undefined && s.min > 0) options.push(fc.constant([]))
      if (s.max !== undefined) options.push(fc.constant(Array.from({ length: s.max + 1 }, () => null)))
      options.push(fc.constant([null]))
    }
    return fc.oneof(...options)
  }

  function requestBody(
    inputShape: string,
    scenario?: fc.Arbitrary<Record<string, unknown>>,
  ): fc.Arbitrary<FuzzBody> {
    const input = shape(inputShape) as StructureSchema
    const members = Object.keys(input.members)
    const valid = validStructure(input, 0)
    const validBodies =
      scenario === undefined
        ? valid.map((v) => json('valid', v))
        : fc.oneof(
            valid.map((v) => json('valid', v)),
            scenario.map((v) => json('plausible', v)),
          )
    const violations = fc.oneof(
      fc
        .tuple(valid, fc.constantFrom(...members))
        .chain(([v, m]) =>
          constraintViolation((input.members[m] as { shape: string }).shape).map((bad) =>
            json(`violate ${m}`, { ...v, [m]: bad }),
          ),
        ),
      ...(input.required ?? []).map((m) =>
        valid.map((v) => {
          const rest = { ...v }
          delete rest[m]
          return json(`missing ${m}`, rest)
        }),
      ),
    )
    const garbage = fc.oneof(
      fc.constantFrom(...NON_OBJECT_BODIES).map((b) => raw('non-object body', b)),
      fc.constantFrom(...INVALID_JSON).map((b) => raw('invalid JSON', b)),
      fc.uint8Array({ maxLength: 64 }).map((b) => raw('random bytes', b)),
      fc
        .tuple(valid, fc.constantFrom(...members), fc.constantFrom(...WRONG_TYPES, null))
        .map(([v, m, bad]) => json(`wrong type ${m}`, { ...v, [m]: bad })),
      fc
        .tuple(
          valid,
          fc.constantFrom('Bogus', '__proto__', 'constructor', 'name', ''),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map(([v, k, x]) => raw('extra member', withRawMember(v, k, JSON.stringify(x ?? null)))),
      fc
        .tuple(valid, fc.constantFrom(...members), fc.constantFrom(...HUGE_NUMBERS))
        .map(([v, m, n]) => raw(`huge number ${m}`, withRawMember(v, m, n))),
      fc
        .tuple(valid, fc.constantFrom(...members), fc.constantFrom(10, 1000, 20_000))
        .map(([v, m, d]) => raw(`deep nesting ${m}`, withRawMember(v, m, '['.repeat(d) + ']'.repeat(d)))),
      fc
        .tuple(valid, fc.constantFrom(...members), fc.constantFrom(...BAD_UTF8))
        .map(([v, m, bytes]) => raw(`invalid UTF-8 in ${m}`, withInvalidUtf8(v, m, bytes))),
      fc
        .tuple(valid, fc.constantFrom(...members))
        .map(([v, m]) =>
          raw(
            `duplicate ${m}`,
            withRawMember(v, m, `${JSON.stringify(v[m] ?? 'x')},${JSON.stringify(m)}:123`),
          ),
        ),
      fc
        .tuple(valid, fc.constantFrom(...members), fc.constantFrom('\ud800', '\udfff', 'a\ud83d'))
        .map(([v, m, s]) => raw(`lone surrogate ${m}`, withRawMember(v, m, JSON.stringify(s)))),
    )
    return fc.oneof(
      { weight: 5, arbitrary: validBodies },
      { weight: 3, arbitrary: violations },
      { weight: 2, arbitrary: garbage },
    )
  }

  return { validValue, requestBody }
}
