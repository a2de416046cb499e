/**
 * A real HTTP server on 127.0.0.1 (a free port) for the transport tests: each test gives the
 * handler, the server records what it wrote and whether the client hung up.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  /** Body bytes the handlers wrote (what `write` accepted). */
  readonly bytesWritten: number
  /** Resolves when a client closed its connection before the response ended. */
  readonly clientClosed: Promise<void>
  close(): Promise<void>
}

/** What a handler gets: the request, the response, and a counted `write` that waits for drain. */
export interface HandlerContext {
  request: IncomingMessage
  response: ServerResponse
  /** Write and wait for the socket to take it (backpressure); false once the client is gone. */
  write(chunk: string | Uint8Array): Promise<boolean>
  /** True once the client hung up. */
  readonly closed: boolean
}

/**
 * Start a server whose every request runs `handler`.
 *
 * @example
 * ```ts
 * const server = await startTestServer(async ({ response, write }) => { response.writeHead(200); await write('hi'); response.end() })
 * ```
 */
export async function startTestServer(
  handler: (context: HandlerContext) => void | Promise<void>,
): Promise<TestServer> {
  let bytesWritten = 0
  let resolveClosed!: () => void
  const clientClosed = new Promise<void>((resolve) => {
    resolveClosed = resolve
  })
  const server = createServer((request, response) => {
    let closed = false
    response.on('close', () => {
      if (!response.writableFinished) {
        closed = true
        resolveClosed()
      }
    })
    const context: HandlerContext = {
      request,
      response,
      get closed() {
        return closed
      },
      async write(chunk) {
        if (closed || response.destroyed) return false
        bytesWritten += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
        if (response.write(chunk)) return !closed
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off('drain', done)
            response.off('close', done)
            resolve()
          }
          response.on('drain', done)
          response.on('close', done)
        })
        return !closed
      },
    }
    void Promise.resolve(handler(context)).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    get bytesWritten() {
      return bytesWritten
    },
    clientClosed,
    close() {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** One Chat Completions SSE frame with `content`. */
export function openaiFrame(content: string): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`
}

/** The finish frame and `[DONE]`. */
export const openaiDone = `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`

/** A 64 KiB filler chunk, allocated once: big bodies are generated, never held. */
export const fillerChunk = new TextEncoder().encode('x'.repeat(64 * 1024))
