/**
 * GetParametersByPath over a large tree: fill it through the API, then page through all of it with the
 * SDK's paginator (MaxResults 10, Recursive) — against Coffer, and, as same-run baselines, against the
 * bare server canned with one of Coffer's pages (the HTTP + SDK floor for as many round trips) and as a
 * raw better-sqlite3 keyset scan of the same rows in the same page size, through the same index (the
 * storage floor).
 */
import {
  GetParametersByPathCommand,
  PutParameterCommand,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm'
import type { SSMClient } from '@aws-sdk/client-ssm'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { percentile } from '../lib/report.js'

export const TREE = '/bench/tree'

export interface PageRun {
  readonly pages: number
  readonly items: number
  readonly ms: number
  readonly pageMs: readonly number[]
}

/** `count` String parameters, 100 per group: `/bench/tree/g000/p000`, … (two levels under the path). */
export async function fillTree(client: SSMClient, count: number, concurrency = 16): Promise<number> {
  let next = 0
  const start = performance.now()
  const worker = async () => {
    while (next < count) {
      const n = next++
      const name = `${TREE}/g${String(Math.floor(n / 100)).padStart(3, '0')}/p${String(n % 100).padStart(3, '0')}`
      await client.send(new PutParameterCommand({ Name: name, Value: `value-${n}`, Type: 'String' }))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return performance.now() - start
}

/** The SDK paginator through the whole tree; every page timed. */
export async function pageThrough(client: SSMClient, pageSize: number): Promise<PageRun> {
  const pageMs: number[] = []
  let items = 0
  const start = performance.now()
  let t0 = start
  for await (const page of paginateGetParametersByPath(
    { client, pageSize },
    { Path: TREE, Recursive: true },
  )) {
    const now = performance.now()
    pageMs.push(now - t0)
    t0 = now
    items += page.Parameters?.length ?? 0
  }
  return { pages: pageMs.length, items, ms: performance.now() - start, pageMs }
}

/** `pages` sequential requests through the same SDK client type (pointed at the bare server). */
export async function roundTrips(client: SSMClient, pages: number, pageSize: number): Promise<PageRun> {
  const pageMs: number[] = []
  const start = performance.now()
  for (let i = 0; i < pages; i++) {
    const t0 = performance.now()
    await client.send(new GetParametersByPathCommand({ Path: TREE, Recursive: true, MaxResults: pageSize }))
    pageMs.push(performance.now() - t0)
  }
  return { pages, items: pages * pageSize, ms: performance.now() - start, pageMs }
}

/** The storage floor: the same keyset pages (key range, ORDER BY, LIMIT n+1) read with better-sqlite3. */
export function sqliteScan(dataDir: string, pageSize: number): PageRun {
  const db = new Database(join(dataDir, 'coffer.db'), { readonly: true, fileMustExist: true })
  try {
    const page = db.prepare(
      `SELECT p.name_key, p.name, v.version, v.type, v.value, v.data_type, v.last_modified_at
       FROM ssm_parameters p JOIN ssm_parameter_versions v ON v.parameter_id = p.id AND v.version = p.version
       WHERE p.account_id = ? AND p.region = ? AND p.name_key > ? AND p.name_key >= ? AND p.name_key < ?
       ORDER BY p.name_key LIMIT ?`,
    )
    const scope = db
      .prepare('SELECT account_id, region FROM ssm_parameters WHERE name_key >= ? LIMIT 1')
      .get(`${TREE}/`) as { account_id: string; region: string }
    const pageMs: number[] = []
    let items = 0
    let after = ''
    const start = performance.now()
    for (;;) {
      const t0 = performance.now()
      const rows = page.all(scope.account_id, scope.region, after, `${TREE}/`, `${TREE}0`, pageSize + 1) as {
        name_key: string
      }[]
      const kept = rows.slice(0, pageSize)
      pageMs.push(performance.now() - t0)
      items += kept.length
      if (rows.length <= pageSize) break
      after = kept[kept.length - 1]?.name_key ?? ''
    }
    return { pages: pageMs.length, items, ms: performance.now() - start, pageMs }
  } finally {
    db.close()
  }
}

export function describeRun(run: PageRun): string[] {
  return [
    String(run.pages),
    String(run.items),
    run.ms.toFixed(0),
    percentile(run.pageMs, 0.5).toFixed(3),
    percentile(run.pageMs, 0.99).toFixed(3),
  ]
}
