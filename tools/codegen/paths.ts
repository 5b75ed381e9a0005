import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Repository root; the generator works the same from any current directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export const modelsDir = path.join(repoRoot, 'models')
export const apiDir = path.join(repoRoot, 'src', 'aws-api')
export const libAwsDir = path.join(repoRoot, 'src', 'lib', 'aws')
export const patchesDir = path.join(repoRoot, 'tools', 'codegen', 'patches')

/** True when the module at `url` is the script node was started with. */
export function isMain(url: string): boolean {
  const script = process.argv[1]
  return script !== undefined && pathToFileURL(path.resolve(script)).href === url
}
