import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVitest, type Vitest } from 'vitest/node'
import { keptForks } from '../../tools/kept-forks/kept-forks.ts'

/**
 * The pool of the mutation run (tools/kept-forks/kept-forks.ts) keeps a test process from one vitest
 * run to the next. A mutant is judged by what its run sees, so a kept process must behave as a
 * new one would in what matters: the run's own test filter, and a fresh copy of the project's
 * modules. Only packages under node_modules, and the folders it is told to keep loaded, may be
 * the same.
 */

interface Line {
  name: string
  pid: number
  stamp: number
  samePackage: boolean
  keptStamp: number
}

let dir: string
let log: string
let vitest: Vitest

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kept-forks-'))
  log = path.join(dir, 'runs.jsonl')
  process.env.KEPT_FORKS_LOG = log
  vitest = await createVitest('test', {
    config: false,
    include: ['tools/kept-forks/fixtures/*.spec.ts'],
    pool: keptForks({ keepLoaded: ['tools/kept-forks/fixtures/kept'] }),
    isolate: false,
    watch: false,
    reporters: [{}]
  })
})

afterAll(async () => {
  await vitest.close()
  delete process.env.KEPT_FORKS_LOG
  await rm(dir, { recursive: true, force: true })
})

/** One run, as Stryker starts it: the same vitest, a new filter, and the state of the last run cleared. */
async function run(testNamePattern?: RegExp): Promise<Line[]> {
  const before = (await readLines()).length
  vitest.state.filesMap.clear()
  for (const project of vitest.projects) {
    if (testNamePattern === undefined) delete project.config.testNamePattern
    else project.config.testNamePattern = testNamePattern
  }
  await vitest.start()
  expect(vitest.state.getCountOfFailedTests()).toBe(0)
  return (await readLines()).slice(before)
}

async function readLines(): Promise<Line[]> {
  const text = await readFile(log, 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('a test process kept from one vitest run to the next', () => {
  it('serves each run with its own filter and fresh project modules but the kept ones, and ends when vitest closes', async () => {
    const first = await run(/first$/)
    const second = await run(/second$/)
    const third = await run()

    expect(first.map((line) => line.name)).toEqual(['first'])
    expect(second.map((line) => line.name)).toEqual(['second'])
    expect(third.map((line) => line.name)).toEqual(['first', 'second'])

    const pids = new Set([...first, ...second, ...third].map((line) => line.pid))
    expect(pids.size).toBe(1)
    expect(new Set([first[0]?.stamp, second[0]?.stamp, third[0]?.stamp]).size).toBe(3)
    expect([second[0]?.samePackage, third[0]?.samePackage]).toEqual([true, true])
    expect(new Set([first[0]?.keptStamp, second[0]?.keptStamp, third[0]?.keptStamp]).size).toBe(1)

    const [pid] = [...pids]
    await vitest.close()
    await expect.poll(() => alive(pid ?? 0), { timeout: 5_000 }).toBe(false)
  })
})
