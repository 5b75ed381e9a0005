/**
 * Request-body arbitraries derived from any generated shape table (`src/aws-api/<service>/schema.ts`):
 * model-valid inputs, inputs with one constraint broken, and garbage (wrong JSON types, nulls, extra
 * members, huge numbers, deep nesting, non-object bodies, invalid JSON and UTF-8, invalid base64).
 * The same method as test/integration/fuzz/inputs.ts, parameterised by the shape table and by a
 * `domain` hook that draws identifiers from pools of things that exist, so valid inputs get past
 * "not found" to the business rules.
 */
import fc from 'fast-check'
import type {
  OperationSpec,
  ShapeSchema,
  ShapeTable,
  StructureSchema,
} from '../../../../src/lib/aws/schema-types.js'

export type FuzzBody =
  | { readonly kind: 'json'; readonly note: string; readonly value: unknown }
  | { readonly kind: 'raw'; readonly note: string; readonly raw: string | Uint8Array }

/** Shape name → a domain-aware arbitrary for valid values, or undefined for the generic one. */
export type DomainHook = (shapeName: string) => fc.Arbitrary<unknown> | undefined

const cpLength = (s: string) => [...s].length
export const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

const CONTROL_AND_TEXT = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\t',
  '\n',
  '\u007f',
  '"',
  '\\',
  'a',
  'Z',
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

export const optional = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 2, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(undefined) })

const WRONG_TYPES: readonly unknown[] = [1, -1.5, true, false, 'str', [], ['a'], {}, { a: 1 }, [[[]]]]
const HUGE_NUMBERS = [
  '1e400',
  '-1e400',
  '9007199254740993',
  '123456789012345678901234567890',
  '-0',
  '0.5',
  '1E2',
]
const INVALID_BASE64 = ['!!!!', 'a', 'YQ=', 'Y Q==', '====', 'ünï', 'YW=J']
const NON_OBJECT_BODIES = ['[]', '"x"', '42', 'null', 'true', '[{}]', '""', '1e400']
const INVALID_JSON = [
  '{',
  '}',
  '{"KeyId":}',
  "{'KeyId':'x'}",
  '{"KeyId":"x",}',
  'NaN',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  ' ',
]
const BAD_UTF8: readonly number[][] = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]

/** `obj` as JSON with `key` set to a raw JSON fragment (huge numbers, deep nesting, duplicates...). */
function withRawMember(obj: Record<string, unknown>, key: string, fragment: string): string {
  const rest = { ...obj }
  delete rest[key]
  const base = JSON.stringify(rest)
  const member = `${JSON.stringify(key)}:${fragment}`
  return base === '{}' ? `{${member}}` : `${base.slice(0, -1)},${member}}`
}

function withInvalidUtf8(obj: Record<string, unknown>, key: string, bytes: readonly number[]): Uint8Array {
  const marker = '\u0001MARK\u0001'
  const text = JSON.stringify({ ...obj, [key]: `a${marker}b` })
  const [before, after] = text.split(JSON.stringify(marker).slice(1, -1)) as [string, string]
  return Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from(bytes), Buffer.from(after, 'utf8')])
}

export function schemaArbitraries(table: ShapeTable, domain: DomainHook) {
  const shape = (name: string): ShapeSchema => {
    const s = table[name]
    if (s === undefined) throw new Error(`unknown shape ${name}`)
    return s
  }

  const wrongTypeFor = (s: ShapeSchema): fc.Arbitrary<unknown> =>
    fc.constantFrom(
      ...WRONG_TYPES.filter((v) => {
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
          default:
            return typeof v !== 'object' || Array.isArray(v)
        }
      }),
    )

  function validValue(shapeName: string, depth = 0): fc.Arbitrary<unknown> {
    const override = domain(shapeName)
    if (override !== undefined) return override
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
        return fc.uint8Array({ minLength: Math.max(1, s.min ?? 0), maxLength: 32 }).map(toBase64)
      case 'timestamp':
        return fc.integer({ min: 0, max: 2_000_000_000 })
      case 'list': {
        const min = s.min ?? 0
        const max = Math.min(s.max ?? 4, depth > 1 ? 2 : 4, Math.max(min, 4))
        return fc.array(validValue(s.member.shape, depth + 1), {
          minLength: min,
          maxLength: Math.max(min, max),
        })
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
    switch (s.type) {
      case 'string':
        if (s.min !== undefined && s.min > 0) options.push(fc.constant('x'.repeat(s.min - 1)))
        if (s.max !== undefined && s.max < 200_000)
          options.push(fc.constantFrom('x'.repeat(s.max + 1), '€'.repeat(s.max + 1)))
        if (s.enum !== undefined)
          options.push(fc.constantFrom('not-an-enum', (s.enum[0] ?? '').toLowerCase(), ''))
        if (s.pattern !== undefined) {
          // Candidates chosen eagerly: a pattern that matches everything (`[...]*`) has no violation.
          const re = new RegExp(s.pattern, 'u')
          const breaking = ['', ' ', '\u0000', 'ü~', '%%%', '<x>', '\u00ff\u0100'].filter((v) => !re.test(v))
          if (breaking.length > 0) options.push(fc.constantFrom(...breaking))
        }
        break
      case 'integer':
      case 'long':
        if (s.min !== undefined) options.push(fc.constantFrom(s.min - 1, -2147483648))
        if (s.max !== undefined) options.push(fc.constantFrom(s.max + 1, 2147483647))
        options.push(fc.constantFrom(1.5, 2 ** 53 + 2, 2 ** 31))
        break
      case 'blob':
        options.push(fc.constantFrom('', toBase64(new Uint8Array(Math.min(s.max ?? 65536, 300_000) + 1))))
        break
      case 'list':
        if (s.min !== undefined && s.min > 0) options.push(fc.constant([]))
        if (s.max !== undefined) options.push(fc.constant(Array.from({ length: s.max + 1 }, () => null)))
        options.push(fc.constant([null]))
        break
      default:
        break
    }
    return fc.oneof(...options)
  }

  /** valid / plausible (5) : one violation (3) : garbage (2). */
  function requestBody(
    spec: OperationSpec,
    plausible?: fc.Arbitrary<Record<string, unknown>>,
  ): fc.Arbitrary<FuzzBody> {
    const input = (
      spec.input === undefined ? { type: 'structure', members: {} } : shape(spec.input)
    ) as StructureSchema
    const members = Object.keys(input.members)
    const valid = validStructure(input, 0)
    const json = (note: string, value: unknown): FuzzBody => ({ kind: 'json', note, value })
    const raw = (note: string, body: string | Uint8Array): FuzzBody => ({ kind: 'raw', note, raw: body })
    const validBodies =
      plausible === undefined
        ? valid.map((v) => json('valid', v))
        : fc.oneof(
            valid.map((v) => json('valid', v)),
            plausible.map((v) => json('plausible', v)),
          )
    const someMember = members.length > 0 ? fc.constantFrom(...members) : fc.constant('Bogus')
    const violations = fc.oneof(
      members.length === 0
        ? valid.map((v) => json('valid', v))
        : fc
            .tuple(valid, someMember)
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
        .tuple(valid, someMember, fc.constantFrom(...WRONG_TYPES, null))
        .map(([v, m, bad]) => json(`wrong type ${m}`, { ...v, [m]: bad })),
      fc
        .tuple(
          valid,
          fc.constantFrom('Bogus', '__proto__', 'constructor', 'keyId', 'KEYID', ''),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map(([v, k, x]) => raw(`extra member ${k}`, withRawMember(v, k, JSON.stringify(x ?? null)))),
      fc
        .tuple(valid, someMember, fc.constantFrom(...HUGE_NUMBERS))
        .map(([v, m, n]) => raw(`huge number ${m}`, withRawMember(v, m, n))),
      fc
        .tuple(valid, someMember, fc.constantFrom(10, 5000))
        .map(([v, m, d]) => raw(`deep nesting ${m}`, withRawMember(v, m, '['.repeat(d) + ']'.repeat(d)))),
      fc
        .tuple(valid, someMember, fc.constantFrom(...INVALID_BASE64))
        .map(([v, m, b]) => json(`invalid base64 ${m}`, { ...v, [m]: b })),
      fc
        .tuple(valid, someMember, fc.constantFrom(...BAD_UTF8))
        .map(([v, m, bytes]) => raw(`invalid UTF-8 in ${m}`, withInvalidUtf8(v, m, bytes))),
      fc
        .tuple(valid, someMember)
        .map(([v, m]) =>
          raw(
            `duplicate ${m}`,
            withRawMember(v, m, `${JSON.stringify(v[m] ?? 'x')},${JSON.stringify(m)}:123`),
          ),
        ),
      fc
        .tuple(valid, someMember, fc.constantFrom('\ud800', 'a\udfff'))
        .map(([v, m, s]) => raw(`lone surrogate ${m}`, withRawMember(v, m, JSON.stringify(s)))),
    )
    return fc.oneof(
      { weight: 5, arbitrary: validBodies },
      { weight: 3, arbitrary: violations },
      { weight: 2, arbitrary: garbage },
    )
  }

  return { validValue, validStructure, constraintViolation, requestBody }
}

export function encodeBody(body: FuzzBody): string | Uint8Array {
  return body.kind === 'json' ? JSON.stringify(body.value) : body.raw
}

export function describeBody(body: FuzzBody): string {
  const encoded = encodeBody(body)
  const text =
    typeof encoded === 'string' ? encoded : `bytes(${Buffer.from(encoded).toString('hex').slice(0, 400)})`
  return `[${body.note}] ${text.length > 600 ? `${text.slice(0, 600)}... (${text.length} chars)` : text}`
}
