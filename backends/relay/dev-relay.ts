/**
 * The development relay: `@sluice/server`'s `createChatHandler` on `node:http`, with the
 * provider (OpenAI Chat Completions) mocked in this process by `@sluice/msw` through MSW's
 * `setupServer`, so the playground's "real backend" mode runs the whole server path (passthrough,
 * SSE ids, resume, stop) without a key. The memory store by default; a Redis store when given a
 * URL (`REDIS_URL` in `npm run dev:backends`). CORS is open, for the playground's origin.
 *
 * @example
 * ```ts
 * const relay = await startDevRelay({ port: 8706 })
 * // POST http://127.0.0.1:8706/v1/chat/completions {messages, streamId}; GET/DELETE ?streamId=…
 * await relay.close()
 * ```
 * @module
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { openai, scenario } from '@sluice/msw'
import {
  type ChatHandler,
  createChatHandler,
  createMemoryStreamStore,
  createRedisStreamStore,
  type StreamStore,
  toNodeListener,
} from '@sluice/server'
import { setupServer } from 'msw/node'

/** The answer the mocked provider streams, word by word (the end-to-end tests compare it exactly). */
export const devRelayAnswer = Array.from(
  { length: 60 },
  (_, index) => `word${index + 1}${(index + 1) % 12 === 0 ? '.' : ''}`,
).join(' ')

/** Where the mocked provider lives; MSW answers it inside this process, nothing leaves it. */
const providerBaseURL = 'http://provider.sluice.invalid/v1'

/** Options of {@link startDevRelay}. */
export interface DevRelayOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number
  /** A Redis URL: the stream store is Redis instead of this process's memory. */
  redisUrl?: string
  /** Pace of the mocked provider, in words per second. Default 8 (a reload fits mid-answer). */
  tokensPerSecond?: number
  /** Print each relayed request (method, path, stream id). */
  echo?: boolean
}

/** A running development relay. */
export interface DevRelay {
  /** The chat endpoint: `http://127.0.0.1:<port>/v1/chat/completions` (any path answers). */
  readonly url: string
  /** Provider calls MSW saw: resuming or following must never add one. */
  providerCalls(): number
  close(): Promise<void>
}

const corsHeaders: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, last-event-id, authorization',
  'access-control-expose-headers': 'x-sluice-stream-id, x-sluice-stream-status',
  'access-control-max-age': '600',
}

/** The handler with CORS for a page on another origin (the playground on its own port). */
function withCors(handler: ChatHandler, echo: boolean): ChatHandler {
  return async (request) => {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders })
    const response = await handler(request)
    if (echo) {
      const url = new URL(request.url)
      process.stdout.write(
        `${JSON.stringify({ relay: request.method, path: url.pathname, streamId: url.searchParams.get('streamId') ?? response.headers.get('x-sluice-stream-id'), status: response.status })}\n`,
      )
    }
    const headers = new Headers(response.headers)
    for (const [name, value] of Object.entries(corsHeaders)) headers.set(name, value)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}

/**
 * Start the development relay on 127.0.0.1.
 *
 * @example
 * ```ts
 * const relay = await startDevRelay({ port: 0, tokensPerSecond: 40 })
 * ```
 */
export async function startDevRelay(options: DevRelayOptions): Promise<DevRelay> {
  const mock = openai.chatCompletions(
    scenario()
      .text(devRelayAnswer)
      .usage({ inputTokens: 12, outputTokens: 60 })
      .tokensPerSecond(options.tokensPerSecond ?? 8)
      .finish('stop'),
    // Only the provider's origin: the relay's own route has the same path, and a test in this
    // process must reach the relay, not the mock.
    { path: `${providerBaseURL}/chat/completions` },
  )
  const mocks = setupServer(mock)
  // Only the provider is mocked: Redis and everything else go out as they are.
  mocks.listen({ onUnhandledRequest: 'bypass' })
  const store: StreamStore =
    options.redisUrl === undefined
      ? createMemoryStreamStore()
      : createRedisStreamStore({ url: options.redisUrl, keyPrefix: 'sluice-dev-relay:' })
  const handler = createChatHandler({
    provider: 'openai-chat',
    baseURL: providerBaseURL,
    apiKey: 'sk-dev-relay-mock',
    model: 'gpt-4o-mini',
    store,
  })
  const server = createServer(toNodeListener(withCors(handler, options.echo === true)))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    providerCalls: () => mock.calls.length,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      mocks.close()
      await store.close()
    },
  }
}
