// A loopback proxy that holds every request for a fixed latency before passing it on, and counts
// what is in flight through it. It gives a server that has no latency of its own (the interop
// target's Files API and its S3 storage, targets.ts) the emulator's latencyMs: the emulator waits
// it out once a request's head has arrived, before it reads the body or answers, and so does this.
// Every request is passed on as it came, Host header included, so that a presigned URL made for
// the proxy's address verifies where it lands.
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { InFlight } from './in-flight.ts'
import { onCleanUp } from './lib.ts'

/** A running proxy. */
export interface LatencyProxy {
  /** Its base URL, e.g. http://127.0.0.1:41234 */
  url: string
  /** Requests arrived and not yet answered in full. */
  requests: InFlight
  /** The PUTs among them. */
  puts: InFlight
  /**
   * For each request passed on, the time from passing it on to its answer's head: the server's
   * own time, latency excluded. The owner empties it between runs.
   */
  served: Served[]
  /** Stops it; also done at the bench's clean-up. */
  close(): Promise<void>
}

/** One request's time at the server behind the proxy. */
export interface Served {
  method: string
  ms: number
}

/** Headers of one hop, which each side sets for itself. */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  // This proxy answers 100-continue itself (Node's server does, on arrival, as the emulator's).
  'expect'
]

/** The headers to pass on: all but those of one hop. */
function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name)))
}

/** Starts a proxy to `target` (an http origin) on a free loopback port. */
export async function startLatencyProxy(target: string, latencyMs: number): Promise<LatencyProxy> {
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true })
  const requests = new InFlight()
  const puts = new InFlight()
  const served: Served[] = []
  const server = http.createServer({ requestTimeout: 0 }, (request, response) => {
    const counters = request.method === 'PUT' ? [requests, puts] : [requests]
    for (const counter of counters) counter.enter()
    response.once('close', () => {
      for (const counter of counters) counter.leave()
    })
    setTimeout(() => forward(request, response, upstream, agent, served), latencyMs)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const close = async (): Promise<void> => {
    forget()
    server.closeAllConnections()
    agent.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  const forget = onCleanUp(close)
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, requests, puts, served, close }
}

/** Passes one request on and its answer back; a failure upstream is a 502, or a cut answer. */
function forward(
  request: IncomingMessage,
  response: ServerResponse,
  upstream: URL,
  agent: http.Agent,
  served: Served[]
): void {
  const passedOn = performance.now()
  const onward = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: request.method,
      path: request.url,
      headers: endToEnd(request.headers),
      agent
    },
    (answer) => {
      served.push({ method: request.method ?? '', ms: performance.now() - passedOn })
      response.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
      answer.pipe(response)
    }
  )
  onward.on('error', (error) => {
    if (response.headersSent) response.destroy(error)
    else response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error))
  })
  request.pipe(onward)
}
