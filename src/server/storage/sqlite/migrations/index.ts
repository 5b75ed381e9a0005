import { initial } from './001-initial.js'
import { iamSts } from './002-iam-sts.js'

/** Ordered, append-only. A deployed migration is never edited; a change is a new entry. */
export const migrations: readonly { readonly name: string; readonly sql: string }[] = [
  { name: '001-initial', sql: initial },
  { name: '002-iam-sts', sql: iamSts },
]
