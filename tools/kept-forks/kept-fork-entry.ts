/**
 * The entry of a test process that serves many vitest runs in a row (see kept-forks.ts). It is
 * vitest's own fork worker, with two additions that make a later run see what a new process
 * would see:
 * - the config of a later run (the tests it selects, above all) replaces the first one's, which
 *   vitest gives a worker only when it starts;
 * - every module of the project is evaluated again in each run: only the packages under
 *   node_modules (undici, vitest itself, @actions/core…) stay loaded, which is what saves the time,
 *   and the modules of the folders the pool was given to keep loaded (its later arguments).
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { KeptConfigMessage } from './kept-forks.ts'

type Config = Record<string, unknown> & { root?: string }

interface WorkerRequest {
  __vitest_worker_request__?: boolean
  type?: string
  context?: { config?: Config }
}

interface ModuleNode {
  file?: string | null
}

interface EvaluatedModules {
  idToModuleMap: Map<string, ModuleNode>
  invalidateModule(node: ModuleNode): void
}

const [distPath, ...keepLoaded] = process.argv.slice(2)
if (distPath === undefined) throw new Error('kept-fork-entry: the path of vitest/dist is missing')

/** The config object vitest's worker keeps from its `start` message, updated in place for later runs. */
let config: Config | undefined

process.on('message', (message: WorkerRequest | KeptConfigMessage) => {
  if ('keptConfig' in message) {
    if (config !== undefined) replaceContents(config, message.keptConfig as Config)
    return
  }
  if (message.__vitest_worker_request__ !== true) return
  if (message.type === 'start') config = message.context?.config
  if (message.type === 'run') forgetProjectModules()
})

function replaceContents(target: Config, source: Config): void {
  for (const key of Object.keys(target)) Reflect.deleteProperty(target, key)
  Object.assign(target, source)
}

/**
 * Marks every evaluated module of the project to be evaluated again, but for those under
 * node_modules and in the folders kept loaded.
 */
function forgetProjectModules(): void {
  const state = (globalThis as { __vitest_worker__?: { evaluatedModules?: EvaluatedModules } })
    .__vitest_worker__
  const modules = state?.evaluatedModules
  const root = config?.root
  if (modules === undefined || root === undefined) return
  const inside = folder(root)
  const kept = keepLoaded.map((dir) => folder(path.resolve(root, dir)))
  for (const node of modules.idToModuleMap.values()) {
    const file = node.file ?? ''
    const project = file.startsWith(inside) && !file.includes(`${path.sep}node_modules${path.sep}`)
    if (project && !kept.some((dir) => file.startsWith(dir))) modules.invalidateModule(node)
  }
}

/** A folder's path with a separator at its end, so that `startsWith` matches only what is inside. */
function folder(dir: string): string {
  return dir.endsWith(path.sep) ? dir : dir + path.sep
}

await import(pathToFileURL(path.join(distPath, 'workers', 'forks.js')).href)
