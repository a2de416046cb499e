/**
 * Mocks for agent backends: the same scenario as AI SDK, AG-UI, stream-chunk, stream-delta or
 * agent-events payloads, over SSE or NDJSON, at a path the caller gives.
 *
 * @module
 */
import type { EncoderOptions, Framing, ProtocolId } from '@sluice/core'
import { protocols } from '@sluice/core'
import { aiSdkResponseHeaders } from '@sluice/core/encoders'
import { createMockHandler, type MockHttpHandler, type MockSource } from './create-mock-handler.ts'

/** The agent protocols served over HTTP. */
export type AgentProtocolId = 'ai-sdk' | 'ag-ui' | 'stream-chunk' | 'stream-delta' | 'agent-events'

/** Options of an agent handler. */
export interface AgentHandlerOptions {
  /** `sse` or `ndjson` (default: the protocol's own framing). */
  framing?: Framing
  /** The HTTP method to answer (default: any, so `fetch` POSTs and `EventSource` GETs both work). */
  method?: 'post' | 'get' | 'all'
  /** Passed to the protocol's encoder (e.g. `{ tagging: 'external' }` for agent-events). */
  encoderOptions?: EncoderOptions & Record<string, unknown>
  /**
   * `all` (default): every step in one response, as an agent backend that runs its own tools.
   * `by-conversation`: one step per response, picked from the request's `messages` (the model
   * turns after the user's last message), for a backend that leaves the tools to the app and
   * is asked again with their results (seed 002's `stream-delta`).
   */
  steps?: 'all' | 'by-conversation'
}

/**
 * A mock that streams the scenario in any protocol at `path`: every step in one message, with
 * step events between steps (or one step per request with `steps: 'by-conversation'`). Answers the scenario's HTTP error fault with the protocol's error
 * body.
 *
 * @example
 * ```ts
 * server.use(streamHandler('agent-events', '/api/agent', scenario().text('Hi'), { framing: 'ndjson' }))
 * ```
 */
export function streamHandler(
  protocolId: ProtocolId,
  path: string,
  source: MockSource,
  options: AgentHandlerOptions = {},
): MockHttpHandler {
  const framing = options.framing ?? protocols[protocolId].framing
  return createMockHandler({
    method: options.method ?? 'all',
    path,
    protocolId,
    framing,
    source,
    // The AI SDK marks its UI message streams with this header (`UI_MESSAGE_STREAM_HEADERS`).
    ...(protocolId === 'ai-sdk' ? { headers: { ...aiSdkResponseHeaders } } : {}),
    ...(options.steps === 'by-conversation' ? { steps: 'by-conversation' as const } : {}),
    shape: () => ({
      stream: true,
      steps: options.steps === 'by-conversation' ? 'one' : 'all',
      encoderOptions: options.encoderOptions ?? {},
    }),
  })
}

/**
 * {@link streamHandler} over SSE.
 *
 * @example
 * ```ts
 * server.use(sseHandler('ai-sdk', '/api/chat', scenario().text('Hi')))
 * ```
 */
export function sseHandler(
  protocolId: ProtocolId,
  path: string,
  source: MockSource,
  options: Omit<AgentHandlerOptions, 'framing'> = {},
): MockHttpHandler {
  return streamHandler(protocolId, path, source, { ...options, framing: 'sse' })
}

/**
 * {@link streamHandler} over NDJSON.
 *
 * @example
 * ```ts
 * server.use(ndjsonHandler('stream-delta', '/api/chat', scenario().text('Hi')))
 * ```
 */
export function ndjsonHandler(
  protocolId: ProtocolId,
  path: string,
  source: MockSource,
  options: Omit<AgentHandlerOptions, 'framing'> = {},
): MockHttpHandler {
  return streamHandler(protocolId, path, source, { ...options, framing: 'ndjson' })
}

/**
 * One handler factory per agent protocol: `agentHandlers['stream-chunk'](path, s, { framing })`.
 *
 * @example
 * ```ts
 * server.use(agentHandlers['ag-ui']('/api/agent', scenario().toolCall('search', { q: 'msw' })))
 * ```
 */
export const agentHandlers: Readonly<
  Record<
    AgentProtocolId,
    (path: string, source: MockSource, options?: AgentHandlerOptions) => MockHttpHandler
  >
> = Object.freeze({
  'ai-sdk': (path: string, source: MockSource, options?: AgentHandlerOptions) =>
    streamHandler('ai-sdk', path, source, options),
  'ag-ui': (path: string, source: MockSource, options?: AgentHandlerOptions) =>
    streamHandler('ag-ui', path, source, options),
  'stream-chunk': (path: string, source: MockSource, options?: AgentHandlerOptions) =>
    streamHandler('stream-chunk', path, source, options),
  'stream-delta': (path: string, source: MockSource, options?: AgentHandlerOptions) =>
    streamHandler('stream-delta', path, source, options),
  'agent-events': (path: string, source: MockSource, options?: AgentHandlerOptions) =>
    streamHandler('agent-events', path, source, options),
})
