import type { KeyringStore } from '../../barrier/barrier.js'
import type { SqliteDb } from './database.js'

export class SqliteKeyringStore implements KeyringStore {
  constructor(private readonly db: SqliteDb) {}

  async loadTerms(): Promise<{ term: number; sealedKey: Buffer }[]> {
    return this.db.prepare('SELECT term, sealed_key AS sealedKey FROM barrier_keys ORDER BY term').all() as {
      term: number
      sealedKey: Buffer
    }[]
  }

  async insertTerm(term: number, sealedKey: Buffer, createdAt: number): Promise<void> {
    this.db
      .prepare('INSERT INTO barrier_keys (term, sealed_key, created_at) VALUES (?, ?, ?)')
      .run(term, sealedKey, createdAt)
  }
}
