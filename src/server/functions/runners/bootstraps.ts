/**
 * The code a process function's child runs before the function: it reads the invocation from stdin,
 * loads the handler the way Lambda's runtimes do, builds Lambda's `context`, calls the handler and writes
 * one JSON line to fd 3 (`{"ok":true}` or `{"ok":false,"errorType","errorMessage"}`), then exits. Kept as
 * string constants so the build output needs no extra files. Input on stdin:
 * `{event, requestId, functionArn, deadlineMs, fallbackUrl?, addressSpaceBytes?}`; everything else comes
 * from the Lambda environment variables the runner sets.
 */

/**
 * ESM resolve hook: a bare specifier the function's own directory can't resolve is retried from Coffer's
 * `node_modules` (Lambda's Node.js runtime ships the AWS SDK v3; NODE_PATH covers `require` only).
 */
const NODE_RESOLVE_HOOK = String.raw`
let fallback
export function initialize(data) { fallback = data.fallback }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context)
  } catch (error) {
    const bare = !/^(?:[./]|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier)
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !bare || fallback === undefined) throw error
    return next(specifier, { ...context, parentURL: fallback })
  }
}
`

/** Run with `node --input-type=module -e`. */
export const NODE_BOOTSTRAP = String.raw`
import { existsSync, writeSync } from 'node:fs'
import { register } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

let input = ''
for await (const chunk of process.stdin) input += chunk
const invocation = JSON.parse(input)
const env = process.env

let finished = false
function finish(outcome) {
  if (finished) return
  finished = true
  writeSync(3, JSON.stringify(outcome) + '\n')
  // Output the pipe could not take yet is queued: exit once it is written.
  let unflushed = 2
  const exit = () => --unflushed === 0 && process.exit(0)
  process.stdout.write('', exit)
  process.stderr.write('', exit)
}
function fail(errorType, errorMessage, stack) {
  console.error('ERROR\tInvoke Error\t' + JSON.stringify({ errorType, errorMessage, stack }))
  finish({ ok: false, errorType, errorMessage })
}
function failWith(error) {
  if (error instanceof Error) fail(error.name, error.message, error.stack?.split('\n'))
  else fail(typeof error, String(error))
}

process.on('uncaughtException', failWith)
process.on('unhandledRejection', (reason) => fail('Runtime.UnhandledPromiseRejection', String(reason)))

if (invocation.fallbackUrl !== undefined) {
  register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(NODE_RESOLVE_HOOK)}), {
    data: { fallback: invocation.fallbackUrl },
  })
}

// Lambda's rules: "<dir/>module.export[.nested]", the module tried as .js, .mjs, .cjs. Undefined after a
// failure (already reported).
async function loadHandler() {
  const handlerName = env._HANDLER
  const slash = handlerName.lastIndexOf('/')
  const moduleAndExport = handlerName.slice(slash + 1)
  const dot = moduleAndExport.indexOf('.')
  if (dot <= 0 || dot === moduleAndExport.length - 1) return fail('Runtime.MalformedHandlerName', 'Bad handler')
  const moduleName = moduleAndExport.slice(0, dot)
  const base = resolve(env.LAMBDA_TASK_ROOT, handlerName.slice(0, slash + 1), moduleName)
  const file = ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((path) => existsSync(path))
  if (file === undefined) {
    return fail('Runtime.ImportModuleError', "Error: Cannot find module '" + moduleName + "'")
  }
  let module
  try {
    module = await import(pathToFileURL(file).href)
  } catch (error) {
    const stack = error?.stack?.split('\n')
    if (error instanceof SyntaxError) return fail('Runtime.UserCodeSyntaxError', String(error), stack)
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND') {
      return fail('Runtime.ImportModuleError', String(error), stack)
    }
    return failWith(error)
  }
  const path = moduleAndExport.slice(dot + 1).split('.')
  const lookup = (root) => path.reduce((value, key) => (value == null ? undefined : value[key]), root)
  const handler = typeof lookup(module) === 'function' ? lookup(module) : lookup(module.default)
  if (typeof handler !== 'function') return fail('Runtime.HandlerNotFound', handlerName + ' is undefined or not exported')
  return handler
}
const handler = await loadHandler()

// Callback style: with callbackWaitsForEmptyEventLoop (the default) the outcome is sent once the event loop
// is empty; a handler that neither returns a promise nor calls back succeeds then too.
let pending
const callback = (error) => {
  const outcome = error == null ? { ok: true } : { error }
  if (context.callbackWaitsForEmptyEventLoop) pending ??= outcome
  else if (outcome.ok) finish(outcome)
  else failWith(error)
}
process.on('beforeExit', () => {
  if (pending === undefined || pending.ok) finish({ ok: true })
  else failWith(pending.error)
})
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
  invokedFunctionArn: invocation.functionArn,
  memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  awsRequestId: invocation.requestId,
  logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  identity: undefined,
  clientContext: undefined,
  getRemainingTimeInMillis: () => Math.max(0, invocation.deadlineMs - Date.now()),
  done: (error, result) => callback(error, result),
  succeed: (result) => callback(null, result),
  fail: (error) => callback(error ?? 'handled'),
}
try {
  const returned = handler?.(invocation.event, context, callback)
  if (typeof returned?.then === 'function') returned.then(() => finish({ ok: true }), failWith)
} catch (error) {
  failWith(error)
}
`

/** Run with `python3 -u -B -c`. */
export const PYTHON_BOOTSTRAP = String.raw`
import importlib, json, logging, os, resource, sys, time, traceback


def main():
    channel = os.fdopen(3, 'w', encoding='utf-8')
    os.set_inheritable(3, False)
    invocation = json.loads(sys.stdin.read())
    limit = invocation['addressSpaceBytes']
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    env = os.environ
    sys.path.insert(0, env['LAMBDA_TASK_ROOT'])

    def finish(outcome):
        channel.write(json.dumps(outcome) + '\n')
        channel.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    def fail(error_type, message, trace=''):
        sys.stderr.write('[ERROR] %s: %s\n%s' % (error_type, message, trace))
        finish({'ok': False, 'errorType': error_type, 'errorMessage': message})

    def fail_with(error):
        trace = ''.join(traceback.format_exception(type(error), error, error.__traceback__))
        fail(type(error).__name__, str(error), trace)

    class RequestId(logging.Filter):
        def filter(self, record):
            record.aws_request_id = invocation['requestId']
            return True

    # Lambda's runtime gives the root logger a handler; AWS's rotation templates log through it.
    log_handler = logging.StreamHandler(sys.stderr)
    log_handler.setFormatter(logging.Formatter(
        '[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s', '%Y-%m-%dT%H:%M:%S'))
    log_handler.formatter.converter = time.gmtime
    log_handler.addFilter(RequestId())
    logging.getLogger().addHandler(log_handler)

    class LambdaContext:
        def __init__(self):
            self.aws_request_id = invocation['requestId']
            self.function_name = env['AWS_LAMBDA_FUNCTION_NAME']
            self.function_version = env['AWS_LAMBDA_FUNCTION_VERSION']
            self.invoked_function_arn = invocation['functionArn']
            self.memory_limit_in_mb = env['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']
            self.log_group_name = env['AWS_LAMBDA_LOG_GROUP_NAME']
            self.log_stream_name = env['AWS_LAMBDA_LOG_STREAM_NAME']
            self.identity = None
            self.client_context = None

        def get_remaining_time_in_millis(self):
            return max(0, int(invocation['deadlineMs'] - time.time() * 1000))

    # Lambda's rules: "<dir/>module.function", the module path's "/" read as package separators.
    handler = env['_HANDLER']
    try:
        module_name, function_name = handler.rsplit('.', 1)
    except ValueError as error:
        return fail('Runtime.MalformedHandlerName', "Bad handler '%s': %s" % (handler, error))
    try:
        module = importlib.import_module(module_name.replace('/', '.'))
    except ImportError as error:
        return fail('Runtime.ImportModuleError', "Unable to import module '%s': %s" % (module_name, error))
    except SyntaxError as error:
        return fail('Runtime.UserCodeSyntaxError', "Syntax error in module '%s': %s" % (module_name, error))
    except Exception as error:
        return fail_with(error)
    function = getattr(module, function_name, None)
    if function is None:
        return fail('Runtime.HandlerNotFound', "Handler '%s' missing on module '%s'" % (function_name, module_name))
    try:
        result = function(invocation['event'], LambdaContext())
    except Exception as error:
        return fail_with(error)
    try:
        json.dumps(result)
    except Exception as error:
        return fail('Runtime.MarshalError', 'Unable to marshal response: %s' % error)
    finish({'ok': True})


main()
`
