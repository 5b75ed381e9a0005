/**
 * The filter language of ListSecrets and BatchGetSecretValue (spec 3.8, 3.9).
 *
 * Semantics (spec 3.8 table; AWS differs from the model documentation for `description` and `all`):
 * - `name`: case-sensitive prefix of the name. `primary-region`: case-sensitive prefix.
 *   `owning-service`: case-insensitive prefix. A secret without that attribute matches no value.
 * - `tag-key` / `tag-value`: case-sensitive prefix of any tag key / value.
 * - `description`: word based, case-insensitive (see search-words.ts); `all`: the same over the words of
 *   name, description, tag keys and tag values together, i.e. each word of the value may be found in a
 *   different attribute (unverified: AWS could require one attribute to hold all of them).
 * - Values of one filter are OR-ed, filters (even with the same key) are AND-ed.
 * - Negation (`!value`) excludes the secrets the value matches. Inside one filter (decision; AWS
 *   unrecorded): filter = (no plain values OR any plain value matches) AND no negated value matches.
 *   So `["!a", "!b"]` excludes both, `["x", "!xy"]` keeps `x...` but not `xy...`, and a single `!v` is
 *   exactly the complement of `v`.
 * - Only the first `!` negates: `!!x` is the negation of the literal `!x`.
 */
import {
  FilterNameStringTypeValues,
  type FilterNameStringType,
} from '../../../../aws-api/secretsmanager/types.js'
import { ValidationException } from '../../../../lib/aws/errors.js'
import { InvalidParameterException } from '../../../../aws-api/secretsmanager/errors.js'
import { everyWordFound, filterWords, searchText, type SearchText } from './search-words.js'

/** The model's filter keys (FilterNameStringType). */
export const FILTER_KEYS = FilterNameStringTypeValues
export type FilterKey = FilterNameStringType

/** A request filter as the model shapes it (both members optional there). */
export interface SecretFilter {
  readonly Key?: string | undefined
  readonly Values?: readonly string[] | undefined
}

/** What filtering needs to know about a secret. */
export interface FilterableSecret {
  readonly name: string
  readonly description?: string | undefined
  readonly tags: readonly { readonly Key: string; readonly Value: string }[]
  readonly owningService?: string | undefined
  readonly primaryRegion?: string | undefined
}

export type SecretPredicate = (secret: FilterableSecret) => boolean

/** One secret being evaluated; caches the prepared texts so several word filters split the text once. */
class Probe {
  private descriptionText: SearchText | undefined
  private allText: SearchText | undefined

  constructor(readonly secret: FilterableSecret) {}

  description(): SearchText {
    return (this.descriptionText ??= searchText(this.secret.description ?? ''))
  }

  all(): SearchText {
    if (this.allText) return this.allText
    const { name, description, tags } = this.secret
    // One text, newline-separated (a separator, so attributes never share a word); `+` is the cheapest
    // way to build it, and this runs once per secret.
    let text = `${name}\n${description ?? ''}`
    for (const tag of tags) text += `\n${tag.Key}\n${tag.Value}`
    return (this.allText = searchText(text))
  }
}

type Term = (probe: Probe) => boolean

function compileTerm(key: FilterKey, text: string): Term {
  switch (key) {
    case 'name':
      return (p) => p.secret.name.startsWith(text)
    case 'tag-key':
      return (p) => p.secret.tags.some((tag) => tag.Key.startsWith(text))
    case 'tag-value':
      return (p) => p.secret.tags.some((tag) => tag.Value.startsWith(text))
    case 'primary-region':
      return (p) => p.secret.primaryRegion?.startsWith(text) ?? false
    case 'owning-service': {
      const lower = text.toLowerCase()
      return (p) => p.secret.owningService?.toLowerCase().startsWith(lower) ?? false
    }
    case 'description': {
      const words = filterWords(text)
      return (p) => everyWordFound(words, p.description())
    }
    case 'all': {
      const words = filterWords(text)
      return (p) => everyWordFound(words, p.all())
    }
  }
}

/** Relative evaluation cost, to run cheap filters first. */
const COST: Record<FilterKey, number> = {
  name: 0,
  'tag-key': 0,
  'tag-value': 0,
  'primary-region': 0,
  'owning-service': 0,
  description: 1,
  all: 2,
}

const isFilterKey = (key: string): key is FilterKey => (FILTER_KEYS as readonly string[]).includes(key)

function compileFilter(filter: SecretFilter, index: number): { term: Term; cost: number } {
  const { Key: key, Values: values } = filter
  // Texts unverified: the model validator normally rejects these first; moto answers InvalidParameter.
  if (key === undefined) throw new InvalidParameterException("Invalid filter key. Filter key can't be empty.")
  if (!isFilterKey(key)) {
    // Mirrors the generated validator's enum message, should a caller skip it (spec 3.8).
    throw new ValidationException(
      `1 validation error detected: Value '${key}' at 'filters.${index + 1}.member.key' failed to satisfy ` +
        `constraint: Member must satisfy enum value set: [${FILTER_KEYS.join(', ')}]`,
    )
  }
  if (values === undefined || values.length === 0) {
    throw new InvalidParameterException("Invalid filter values. Filter values can't be empty.")
  }
  const plain: Term[] = []
  const negated: Term[] = []
  for (const value of values) {
    if (!value.startsWith('!')) {
      plain.push(compileTerm(key, value))
    } else if (value.length > 1) {
      negated.push(compileTerm(key, value.slice(1)))
    } else {
      // A bare `!` (negating nothing) is almost surely a client bug such as `"!" + emptyVar`; its literal
      // meaning would silently drop or keep everything. Decision, unverified against AWS.
      throw new InvalidParameterException(
        "Invalid filter values. A negated filter value must have text after '!'.",
      )
    }
  }
  return { term: combine(plain, negated), cost: COST[key] }
}

function combine(plain: readonly Term[], negated: readonly Term[]): Term {
  const plainFn = anyOf(plain)
  const negatedFn = anyOf(negated)
  if (negated.length === 0) return plainFn
  if (plain.length === 0) return (p) => !negatedFn(p)
  return (p) => plainFn(p) && !negatedFn(p)
}

function anyOf(terms: readonly Term[]): Term {
  const [only] = terms
  if (terms.length === 1 && only) return only
  return (p) => terms.some((term) => term(p))
}

/**
 * Validates `filters` and compiles them once per request into a predicate that is cheap to run per
 * secret. No filters (or `undefined`) match every secret. Throws `InvalidParameterException` for a
 * filter without Key or Values and for a bare `!` value; `ValidationException` for an unknown key.
 */
export function compileFilters(filters: readonly SecretFilter[] | undefined): SecretPredicate {
  // Validate in request order (the first bad filter is reported), then run cheap prefix filters before
  // word filters: AND is order-free and most secrets fail early.
  const compiled = (filters ?? [])
    .map(compileFilter)
    .sort((a, b) => a.cost - b.cost)
    .map(({ term }) => term)
  if (compiled.length === 0) return () => true
  return (secret) => {
    const probe = new Probe(secret)
    return compiled.every((filter) => filter(probe))
  }
}
