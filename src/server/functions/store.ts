/** A registered rotation function as stored. Built-ins are never stored. */
export interface FunctionRecord {
  /** `arn:aws:lambda:<region>:<account>:function:<name>` (no qualifier). */
  readonly arn: string
  readonly accountId: string
  readonly region: string
  readonly name: string
  readonly roleArn: string
  /** 1–900. */
  readonly timeoutSeconds: number
  /** 128–10240. */
  readonly memoryMb: number
  readonly code: StoredCode
  /** Epoch ms. */
  readonly createdAt: number
  readonly updatedAt: number
}

export type StoredCode =
  | {
      readonly kind: 'process'
      readonly runtime: 'nodejs' | 'python'
      readonly handler: string
      /** The package's copy: `<data>/functions/<account>/<region>/<name>/<codeId>/`. */
      readonly codeId: string
      /** Hex SHA-256 of the package (paths and contents; see `code.ts`). */
      readonly codeSha256: string
      readonly environment: Readonly<Record<string, string>>
    }
  | {
      readonly kind: 'http'
      readonly url: string
      /** The webhook signing key sealed by the barrier, AAD `signingKeyAad(arn)`. */
      readonly sealedSigningKey: Buffer
    }

/**
 * Storage port of the function registry.
 * - Missing items are `undefined` / `false`, never errors.
 * - `create` and `update` are single atomic writes: `create` refuses (false) when the ARN is taken,
 *   `update` replaces everything but `createdAt` and refuses (false) when the function is gone. Two
 *   concurrent `create`s of one name: exactly one returns true.
 * - Once a write has committed, every reader (this process or another on the same database) sees it.
 */
export interface FunctionStore {
  find(arn: string): Promise<FunctionRecord | undefined>
  /** Ordered by account, region, name; narrowed to an account and/or region when given. */
  list(filter?: { readonly accountId?: string; readonly region?: string }): Promise<FunctionRecord[]>
  create(fn: FunctionRecord): Promise<boolean>
  update(fn: FunctionRecord): Promise<boolean>
  delete(arn: string): Promise<boolean>
}

/** Associated data of a webhook's sealed signing key: it opens only in its own function's row. */
export function signingKeyAad(arn: string): string {
  return `lambda/function/${arn}/signing-key`
}
