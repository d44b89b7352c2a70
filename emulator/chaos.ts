import type { ChaosKind, ChaosOptions, Fault, FaultAction, RecordedRequest, Step } from './types.ts'

/** Chaos mode once started: its settings, its PRNG and what it has injected so far. */
export interface ChaosRun {
  /** Share of classified requests that get a fault, 0..1. */
  rate: number
  /** Seed the PRNG started from; reset() rewinds to it. */
  seed: number
  /** The seeded PRNG: uniform in [0, 1). */
  random: () => number
}

/** Faults drawn per step; the API steps share one mix, storage has its own. */
const API_MIX: readonly ChaosKind[] = ['503', '429', 'lost-answer']
const MIXES: Record<Step, readonly ChaosKind[]> = {
  create: API_MIX,
  confirm: API_MIX,
  list: API_MIX,
  get: API_MIX,
  put: ['500', '503', 'reset-mid-body'],
  // A reset before any answer: a GET has no body for the reset to cut.
  download: ['500', '503', 'reset-mid-body']
}

// Retry-After 0, never a positive value: a client honouring it must not slow chaos runs down.
const ACTIONS: Record<ChaosKind, FaultAction> = {
  '500': { type: 'status', status: 500 },
  '503': { type: 'status', status: 503 },
  '429': { type: 'status', status: 429, headers: { 'retry-after': '0' } },
  'lost-answer': { type: 'lost-answer' },
  'reset-mid-body': { type: 'reset-mid-body' }
}

/**
 * mulberry32: a tiny 32-bit PRNG, good enough to spread faults and, unlike Math.random, repeatable
 * from a seed, so a failing chaos run can be replayed.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Checks the options and starts a run with a fresh PRNG; undefined turns chaos off. */
export function startChaos(options: ChaosOptions | undefined): ChaosRun | undefined {
  if (options === undefined) return undefined
  const { rate, seed } = options
  if (!(rate >= 0 && rate <= 1)) throw new RangeError('chaos.rate must be a number from 0 to 1')
  if (!Number.isSafeInteger(seed)) throw new RangeError('chaos.seed must be an integer')
  return { rate, seed, random: mulberry32(seed) }
}

/** Every 'step:kind' key chaos can count, each at 0: a test can check that none stayed at 0. */
export function emptyChaosStats(): Record<string, number> {
  const stats: Record<string, number> = {}
  for (const [step, mix] of Object.entries(MIXES)) {
    for (const kind of mix) stats[`${step}:${kind}`] = 0
  }
  return stats
}

/**
 * Draws whether this request gets a chaos fault and which one (uniformly from the step's mix).
 * On a hit, marks the request and counts the kind; the caller applies the fault like a queued one.
 */
export function drawChaos(
  run: ChaosRun | undefined,
  stats: Record<string, number>,
  rec: RecordedRequest,
  step: Step
): Fault | undefined {
  if (!run || run.random() >= run.rate) return undefined
  const mix = MIXES[step]
  const kind = mix[Math.floor(run.random() * mix.length)]!
  rec.chaos = kind
  const key = `${step}:${kind}`
  stats[key] = (stats[key] ?? 0) + 1
  return { step, action: ACTIONS[kind] }
}
