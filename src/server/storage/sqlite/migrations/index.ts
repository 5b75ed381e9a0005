import { initial } from './001-initial.js'

/** Ordered, append-only. A deployed migration is never edited; a change is a new entry. */
export const migrations: readonly { readonly name: string; readonly sql: string }[] = [
  { name: '001-initial', sql: initial },
]
