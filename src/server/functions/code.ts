import { createHash, randomBytes } from 'node:crypto'
import {
  cpSync,
  lstatSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  mkdirSync,
} from 'node:fs'
import { join, relative, sep } from 'node:path'

/** Lambda's limit on an unzipped deployment package. */
export const MAX_PACKAGE_BYTES = 250 * 1024 * 1024

export class CodePackageError extends Error {}

/**
 * Functions' code packages inside the data directory: `<data>/functions/<account>/<region>/<name>/<id>/`.
 * A package is a copy of a source directory made when the function is created or updated, so the
 * registered function does not change when its source does (like a Lambda deployment package).
 * A new package gets a new id; the registry row names the current one, so switching code is the
 * row's atomic update, and a package is never modified once written.
 */
export class CodePackages {
  constructor(private readonly dataDir: string) {}

  /** Absolute path of a package. */
  path(fn: FunctionRef, codeId: string): string {
    return join(this.functionDir(fn), codeId)
  }

  /**
   * Copies `source` (a directory; symbolic links are followed) into a new package and returns its id
   * and SHA-256. The copy appears under its final name only once complete.
   */
  add(fn: FunctionRef, source: string): { codeId: string; codeSha256: string } {
    requireDirectory(source)
    const codeId = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`
    const dir = this.functionDir(fn)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const staging = join(dir, `.staging-${codeId}`)
    try {
      cpSync(source, staging, { recursive: true, dereference: true, errorOnExist: true })
      const codeSha256 = packageSha256(staging)
      renameSync(staging, join(dir, codeId))
      return { codeId, codeSha256 }
    } catch (error) {
      rmSync(staging, { recursive: true, force: true })
      throw error
    }
  }

  /** Removes the function's packages other than `keep` (all of them when `keep` is undefined). */
  prune(fn: FunctionRef, keep?: string): void {
    const dir = this.functionDir(fn)
    if (keep === undefined) {
      rmSync(dir, { recursive: true, force: true })
      return
    }
    let entries: string[]
    try {
      entries = readdirSync(dir)
    } catch {
      return
    }
    for (const entry of entries) {
      if (entry !== keep) rmSync(join(dir, entry), { recursive: true, force: true })
    }
  }

  private functionDir(fn: FunctionRef): string {
    return join(this.dataDir, 'functions', fn.accountId, fn.region, fn.name)
  }
}

export interface FunctionRef {
  readonly accountId: string
  readonly region: string
  readonly name: string
}

/**
 * SHA-256 over a directory tree: for each regular file in path order, its relative path (with `/`),
 * a NUL, its size and a NUL, then its bytes. Equal trees hash equally wherever they are. Symbolic
 * links are followed. Refuses trees over `MAX_PACKAGE_BYTES`.
 */
export function packageSha256(root: string): string {
  requireDirectory(root)
  const hash = createHash('sha256')
  let total = 0
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      const stat = statSync(path)
      if (stat.isDirectory()) walk(path)
      else if (stat.isFile()) {
        total += stat.size
        if (total > MAX_PACKAGE_BYTES)
          throw new CodePackageError(`code directory ${root} is larger than ${MAX_PACKAGE_BYTES} bytes`)
        hash.update(`${relative(root, path).split(sep).join('/')}\0${stat.size}\0`)
        hash.update(readFileSync(path))
      }
    }
  }
  walk(root)
  return hash.digest('hex')
}

function requireDirectory(path: string): void {
  let isDirectory = false
  try {
    isDirectory = lstatSync(path).isDirectory() || statSync(path).isDirectory()
  } catch {
    throw new CodePackageError(`code directory ${path} does not exist`)
  }
  if (!isDirectory) throw new CodePackageError(`code ${path} is not a directory`)
}
