/**
 * A real HTTP server on 127.0.0.1 (a free port) that answers every request with the recorded
 * bytes it was given, written in the network chunks it was given, so a provider's official
 * client and Sluice read exactly the same bytes over real TCP.
 *
 * @example
 * ```ts
 * const server = await startFixtureServer()
 * server.serve({ body: fixtureText('openai-chat/text-gpt4o-usage.sse'), contentType: 'text/event-stream', sizes: [1, 7] })
 * const response = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST' })
 * await server.close()
 * ```
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the server answers with next. */
export interface ServedBody {
  /** The response body, as the provider sent it. */
  body: string
  contentType: string
  /** Network chunk sizes in bytes, repeated over the body; empty: the whole body in one write. */
  sizes: readonly number[]
  status?: number
}

/** The running server. */
export interface FixtureServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string
  /** Answer every following request with `served`. */
  serve(served: ServedBody): void
  /** The method and path (with query) of every request so far. */
  readonly requests: readonly string[]
  close(): Promise<void>
}

/** The body cut into chunks of `sizes` bytes (repeated); the last chunk takes what is left. */
export function cutBytes(body: string, sizes: readonly number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(body)
  if (sizes.length === 0) return [bytes]
  const chunks: Uint8Array[] = []
  let offset = 0
  for (let index = 0; offset < bytes.length; index += 1) {
    const size = Math.max(1, sizes[index % sizes.length]!)
    chunks.push(bytes.subarray(offset, offset + size))
    offset += size
  }
  return chunks
}

async function answer(request: IncomingMessage, response: ServerResponse, served: ServedBody): Promise<void> {
  // Read (and drop) the request body first, as a real server does.
  for await (const _ of request) {
    // The SDKs' requests do not matter to a recorded answer.
  }
  const chunks = cutBytes(served.body, served.sizes)
  response.writeHead(served.status ?? 200, {
    'content-type': served.contentType,
    // The body's length, so a client that gets less than the whole body reads an error, never a
    // shorter answer that ended cleanly (a body delimited by the connection's close looks whole
    // however early the socket closes).
    'content-length': chunks.reduce((total, chunk) => total + chunk.byteLength, 0),
    'cache-control': 'no-cache',
    // One connection per answer: a kept-alive socket the server is closing as the next request
    // reuses it would cut that answer short (seen once in CI under load as an "interrupted" read).
    connection: 'close',
  })
  for (const chunk of chunks) {
    if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve))
    // A turn of the event loop between writes, so chunks leave as separate TCP segments.
    if (served.sizes.length > 0) await new Promise((resolve) => setImmediate(resolve))
  }
  response.end()
}

/** Start the server; stop it with `close()` (in `afterAll`). */
export async function startFixtureServer(): Promise<FixtureServer> {
  let served: ServedBody | undefined
  const requests: string[] = []
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`)
    if (served === undefined) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end('No fixture is being served.')
      return
    }
    answer(request, response, served).catch((error: unknown) => {
      // Said, so a read cut short by the server is told apart from a client's misreading.
      console.error(`The fixture server failed while answering ${request.method} ${request.url}:`, error)
      response.destroy(error as Error)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    serve(next) {
      served = next
    },
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/** The chunkings every differential test reads each fixture under. */
export const chunkings: readonly (readonly number[])[] = [[], [1, 2, 3, 5, 8, 13], [97]]
