import type { Exchange } from './http.ts'
import { drain, pump, send } from './http.ts'
import type { Fault, Step } from './types.ts'

/**
 * Finds the first fault in queue order matching the step (and name), counts one use of it and
 * removes it from the queue when used up.
 */
export function takeFault(
  faults: Fault[],
  step: Step,
  name: string | undefined
): Fault | undefined {
  const index = faults.findIndex((fault) => fault.step === step && nameMatches(fault, name))
  const fault = faults[index]
  if (!fault) return undefined
  fault.times = (fault.times ?? 1) - 1
  if (fault.times <= 0) faults.splice(index, 1)
  return fault
}

function nameMatches(fault: Fault, name: string | undefined): boolean {
  if (fault.name === undefined) return true
  if (name === undefined) return false
  if (typeof fault.name === 'string') return fault.name === name
  fault.name.lastIndex = 0 // a /g or /y RegExp keeps state between calls
  return fault.name.test(name)
}

/** Page a captive portal or a misrouted proxy would answer with. */
export const CAPTIVE_HTML =
  '<!DOCTYPE html><html><head><title>Sign in to network</title></head>' +
  '<body><h1>Sign in to continue</h1><form action="/login"></form></body></html>'

/** Default error body of a status fault, per server. */
export type ErrorBody = (status: number) => { contentType: string; body: string }

/**
 * Acts out a fault. Returns true when the fault answered (or deliberately never will); false when
 * the normal operation must still run (lost-answer sets `ex.drop`; create-only faults shape it).
 */
export async function applyFault(
  ex: Exchange,
  fault: Fault,
  errorBody: ErrorBody
): Promise<boolean> {
  const { action } = fault
  switch (action.type) {
    case 'status': {
      await drain(ex)
      const fallback = errorBody(action.status)
      const headers = { 'content-type': fallback.contentType, ...action.headers }
      send(ex, action.status, headers, action.body ?? fallback.body)
      return true
    }
    case 'html':
      await drain(ex)
      send(ex, 200, { 'content-type': 'text/html; charset=utf-8' }, CAPTIVE_HTML)
      return true
    case 'redirect':
      await drain(ex)
      send(ex, 307, { location: action.location })
      return true
    case 'hang':
      void drain(ex)
      return true
    case 'stall':
      await stopReading(ex, action.afterBytes)
      return true
    case 'reset-mid-body':
      await readHalf(ex)
      ex.req.socket.destroy()
      return true
    case 'lost-answer':
      ex.drop = true
      return false
    default:
      return false
  }
}

/** Reads about half of the declared body, then leaves the stream paused. */
async function readHalf(ex: Exchange): Promise<void> {
  await readUpTo(ex, Math.floor(Number(ex.req.headers['content-length'] ?? 0) / 2))
}

/**
 * A storage that stops reading: reads `afterBytes` of the body (about half by default), then
 * leaves the stream paused, so TCP pushes back on the client while the connection stays open.
 * Notes the moment, so a test can time the client's stall detection from it.
 */
async function stopReading(ex: Exchange, afterBytes: number | undefined): Promise<void> {
  if (afterBytes === undefined) await readHalf(ex)
  else await readUpTo(ex, afterBytes)
  if (!ex.req.complete) ex.rec.stalledAt = Date.now()
}

/** Reads the body up to the first chunk that reaches `bytes` (none when 0), then pauses it. */
async function readUpTo(ex: Exchange, bytes: number): Promise<void> {
  if (bytes <= 0) {
    ex.req.pause()
    return
  }
  let seen = 0
  await pump(ex, (chunk) => (seen += chunk.length) < bytes)
}
