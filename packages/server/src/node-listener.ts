/**
 * A Fetch API handler as a Node `http` request listener: the `Request` is built from the
 * incoming message, the `Response` body is written as it streams (flushed per chunk), and a
 * client that goes away cancels the body, which is what the relay hears as a dropped connection.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'

/**
 * Serve a Fetch API handler with `node:http` (or Express, whose `req`/`res` are the same objects).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createChatHandler, toNodeListener } from '@sluice/server'
 * const handler = createChatHandler({ provider: 'anthropic', apiKey: process.env.ANTHROPIC_API_KEY, model: 'claude-sonnet-4-5' })
 * createServer(toNodeListener(handler)).listen(3000, '127.0.0.1')
 * ```
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (incoming, outgoing) => {
    void serve(handler, incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) {
        outgoing.writeHead(500, { 'content-type': 'application/json' })
        outgoing.end(
          JSON.stringify({
            error: { message: `Sluice relay failed: ${(error as Error)?.message ?? String(error)}` },
          }),
        )
      } else outgoing.destroy()
    })
  }
}

async function serve(
  handler: (request: Request) => Promise<Response>,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const disconnected = new AbortController()
  // `close` on the response before it finished: the client went away.
  outgoing.on('close', () => {
    if (!outgoing.writableFinished)
      disconnected.abort(new DOMException('The client disconnected.', 'AbortError'))
  })
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else headers.set(name, value)
  }
  const host = incoming.headers.host ?? 'localhost'
  const method = incoming.method ?? 'GET'
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: disconnected.signal }
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = Readable.toWeb(incoming) as ReadableStream<Uint8Array>
    init.duplex = 'half'
  }
  const request = new Request(new URL(incoming.url ?? '/', `http://${host}`), init)
  const response = await handler(request)

  const responseHeaders: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value
  })
  outgoing.writeHead(response.status, responseHeaders)
  if (response.body === null) {
    outgoing.end()
    return
  }
  outgoing.flushHeaders()
  const reader = response.body.getReader()
  const cancel = () => {
    reader.cancel().catch(() => {})
  }
  disconnected.signal.addEventListener('abort', cancel, { once: true })
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      if (outgoing.destroyed) break
      // Respect the socket's backpressure: a slow client slows this reader, not memory.
      if (!outgoing.write(value)) {
        await new Promise<void>((resolve) => {
          const resume = () => {
            outgoing.off('drain', resume)
            outgoing.off('close', resume)
            resolve()
          }
          outgoing.on('drain', resume)
          outgoing.on('close', resume)
        })
      }
    }
  } catch {
    // The body failed or was cancelled: the connection is closed below.
  } finally {
    disconnected.signal.removeEventListener('abort', cancel)
  }
  if (disconnected.signal.aborted) {
    cancel()
    return
  }
  outgoing.end()
}
