/** Public API of the pure policy engine (parsing, validation, public-access analysis, evaluation). */
export { compilePolicy, compilePolicyText, type CompileResult } from './compile.js'
export { parsePolicy, type ParseResult } from './document.js'
export { evaluate } from './evaluate.js'
export type * from './evaluation-types.js'
export { isBlocking, severityOf, type Finding, type FindingCode, type Severity } from './findings.js'
export { principalAccount } from './principal.js'
export { crossAccountPrincipals, grantsPublicAccess, publicStatements } from './public-access.js'
export {
  analyzeSecretResourcePolicy,
  validateSecretResourcePolicy,
  type ValidateResourcePolicyResult,
  type ValidationError,
} from './validate-resource-policy.js'
export type * from './types.js'
