import type { Clock } from '../../lib/clock.js'
import type { Random } from '../../lib/random.js'
import type { DataDir } from '../bootstrap.js'
import type { StsStore } from '../services/sts/store.js'
import { createSqliteIamStore } from '../storage/sqlite/iam-store.js'
import { SqliteFunctionStore } from '../storage/sqlite/function-store.js'
import { BuiltinRoles } from './builtin-role.js'
import { CodePackages } from './code.js'
import type { FunctionRegistry, FunctionSessions } from './contract.js'
import { Functions } from './registry.js'
import { FunctionSessionIssuer } from './sessions.js'

export interface FunctionsModule {
  readonly registry: FunctionRegistry
  readonly sessions: FunctionSessions
}

/** Where rotation functions come from and the credentials they run with, on a data directory. */
export function createFunctions(
  data: DataDir,
  deps: { dataDir: string; sessions: StsStore; clock: Clock; random: Random },
): FunctionsModule {
  return {
    registry: new Functions({
      store: new SqliteFunctionStore(data.db, data.freshness),
      barrier: data.barrier,
      packages: new CodePackages(deps.dataDir),
    }),
    sessions: new FunctionSessionIssuer({
      sts: { store: deps.sessions, barrier: data.barrier, random: deps.random },
      builtinRoles: new BuiltinRoles({
        iam: createSqliteIamStore(data.db, data.freshness),
        random: deps.random,
        clock: deps.clock,
      }),
    }),
  }
}
