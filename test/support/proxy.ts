import http from 'node:http'
import net from 'node:net'

/** A forward proxy on loopback: CONNECT tunnels for https targets, absolute-form forwarding for http. */
export interface ForwardProxy {
  /** e.g. http://127.0.0.1:41000 */
  url: string
  /** What crossed it: `CONNECT host:port` or `METHOD http://host:port/path`. */
  seen: string[]
  /** Local ports of the proxy's upstream sockets: the remote ports the target servers saw. */
  upstreamPorts: Set<number>
  close(): Promise<void>
}

/** Starts a real forward proxy on 127.0.0.1. */
export async function startProxy(): Promise<ForwardProxy> {
  const seen: string[] = []
  const upstreamPorts = new Set<number>()
  const sockets = new Set<net.Socket>()
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`)
    const target = new URL(request.url ?? '')
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: target.pathname + target.search,
        headers: request.headers,
        agent: false
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      }
    )
    upstream.on('socket', (socket) =>
      socket.on('connect', () => upstreamPorts.add(socket.localPort ?? 0))
    )
    upstream.on('error', () => response.destroy())
    request.pipe(upstream)
  })
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url}`)
    const [host, port] = (request.url ?? '').split(':')
    const upstream = net.connect(Number(port), host, () => {
      upstreamPorts.add(upstream.localPort ?? 0)
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    upstreamPorts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
