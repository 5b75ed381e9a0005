/**
 * Inline constraint checks for `validators.ts`, and the module-level state they need: imported helpers,
 * RegExp and enum-set constants (compiled once at module load, never per call).
 */
import type { Shape } from './model.js'
import { str, typeName } from './names.js'
import { translatePattern } from './regex.js'

/** Produces the statement that records a violation with the given constraint phrase. */
export type Report = (phrase: string) => string

export class ModuleScope {
  /** Names imported from `src/lib/aws/validate.ts`. */
  readonly helpers = new Set<string>()
  /** `<Enum>Values` constants imported from `types.ts`. */
  readonly valueImports = new Set<string>()
  readonly consts: string[] = []
  private readonly constNames = new Map<string, string>()

  constructor(private readonly label: string) {}

  use(helper: string): string {
    this.helpers.add(helper)
    return helper
  }

  patternConst(shapeName: string, pattern: string): string {
    const key = `pattern:${shapeName}`
    const known = this.constNames.get(key)
    if (known) return known
    let compiled
    try {
      compiled = translatePattern(pattern)
    } catch (error) {
      throw new Error(
        `${this.label}: pattern of shape ${shapeName} cannot be compiled to a JavaScript RegExp: ${String(error)}\n` +
          `  pattern: ${pattern}\n  Add a patch in tools/codegen/patches/ (see its README) with the reason.`,
      )
    }
    const name = `PATTERN_${shapeName}`
    const declaration = `const ${name} = new RegExp(${str(compiled.source)}, ${str(compiled.flags)})`
    // Some models match control characters on purpose (STS/IAM policy documents: `\u0009\u000A\u000D`).
    this.consts.push(
      matchesControlChars(compiled.source)
        ? `/* eslint-disable no-control-regex -- as in the model */\n${declaration}\n/* eslint-enable no-control-regex */`
        : declaration,
    )
    this.constNames.set(key, name)
    return name
  }

  enumConst(shapeName: string): string {
    const key = `enum:${shapeName}`
    const known = this.constNames.get(key)
    if (known) return known
    const values = `${typeName(shapeName)}Values`
    this.valueImports.add(values)
    const name = `ENUM_${shapeName}`
    this.consts.push(`const ${name}: ReadonlySet<string> = new Set(${values})`)
    this.constNames.set(key, name)
    return name
  }
}

/** Length, pattern and enum checks of a string held in `v` (already known to be a string). */
export function stringChecks(
  scope: ModuleScope,
  shapeName: string,
  shape: Shape,
  v: string,
  report: Report,
): string[] {
  const lines: string[] = []
  const min = shape.min !== undefined && shape.min > 0 ? shape.min : undefined
  const max = shape.max
  if (min !== undefined || max !== undefined) {
    // UTF-16 length bounds the code-point length (cp <= len <= 2 * cp); count only when it matters.
    const cond = [
      min !== undefined ? `${v}.length < ${2 * min}` : '',
      max !== undefined ? `${v}.length > ${max}` : '',
    ]
      .filter(Boolean)
      .join(' || ')
    const inner = [`const n = ${scope.use('cpLength')}(${v})`]
    if (min !== undefined)
      inner.push(`if (n < ${min}) ${report(`Member must have length greater than or equal to ${min}`)}`)
    if (max !== undefined)
      inner.push(`if (n > ${max}) ${report(`Member must have length less than or equal to ${max}`)}`)
    lines.push(`if (${cond}) {`, ...indent(inner), '}')
  }
  if (shape.pattern !== undefined) {
    const re = scope.patternConst(shapeName, shape.pattern)
    lines.push(
      `if (!${re}.test(${v})) ${report(`Member must satisfy regular expression pattern: ${shape.pattern}`)}`,
    )
  }
  if (shape.enum !== undefined) {
    const set = scope.enumConst(shapeName)
    lines.push(
      `if (!${set}.has(${v})) ${report(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`)}`,
    )
  }
  return lines
}

/** Length checks of a list, map or blob; `length` is the expression of its length. */
export function lengthChecks(shape: Shape, length: string, report: Report): string[] {
  const lines: string[] = []
  if (shape.min !== undefined && shape.min > 0) {
    lines.push(
      `if (${length} < ${shape.min}) ${report(`Member must have length greater than or equal to ${shape.min}`)}`,
    )
  }
  if (shape.max !== undefined) {
    lines.push(
      `if (${length} > ${shape.max}) ${report(`Member must have length less than or equal to ${shape.max}`)}`,
    )
  }
  return lines
}

/** Range checks of a number held in `v`. */
export function rangeChecks(shape: Shape, report: Report): string[] {
  const lines: string[] = []
  if (shape.min !== undefined) {
    lines.push(
      `if (v < ${shape.min}) ${report(`Member must have value greater than or equal to ${shape.min}`)}`,
    )
  }
  if (shape.max !== undefined) {
    lines.push(`if (v > ${shape.max}) ${report(`Member must have value less than or equal to ${shape.max}`)}`)
  }
  return lines
}

/** Whether a RegExp source mentions control characters (escaped, or literally). */
function matchesControlChars(source: string): boolean {
  if (/\\x[01][0-9a-fA-F]|\\u00[01][0-9a-fA-F]|\\u\{0*[01]?[0-9a-fA-F]\}|\\c[A-Za-z]/.test(source))
    return true
  return [...source].some((ch) => ch.charCodeAt(0) < 0x20)
}

export function indent(lines: readonly string[]): string[] {
  return lines.map((line) => `  ${line}`)
}
