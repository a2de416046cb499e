/**
 * @sluice/server: the server half of Sluice. A relay that keeps the provider key on the server,
 * streams any provider to the browser (unchanged or translated into another protocol), and
 * keeps every stream in a store so it can be resumed after a reload, followed from a second
 * tab and stopped from any instance.
 *
 * @example
 * ```ts
 * import { createChatHandler, createRedisStreamStore } from '@sluice/server'
 * const handler = createChatHandler({
 *   provider: 'openai-chat',
 *   baseURL: 'https://api.openai.com/v1',
 *   apiKey: process.env.OPENAI_API_KEY,
 *   model: 'gpt-4o-mini',
 *   clientProtocol: 'ai-sdk',
 *   store: createRedisStreamStore({ url: process.env.REDIS_URL }),
 * })
 * ```
 * @module
 */

/** The provider request converters live in `@sluice/core`; re-exported for the relay's users. */
export { toGeminiRequest, toOllamaMessages, toOpenAIResponsesRequest } from '@sluice/core'
export { type ChatHandler, type ChatHandlerOptions, createChatHandler } from './create-chat-handler.ts'
export { createMemoryStreamStore } from './memory-stream-store.ts'
export { toNodeListener } from './node-listener.ts'
export {
  createRedisStreamStore,
  type RedisClientLike,
  type RedisStreamStoreOptions,
} from './redis-stream-store.ts'
export type { RequestLimits } from './request-messages.ts'
export {
  type FinishedStreamStatus,
  isValidStreamId,
  type StreamEvent,
  type StreamEventInput,
  type StreamInfo,
  type StreamReadOptions,
  type StreamStatus,
  type StreamStore,
  StreamStoreError,
  type StreamStoreErrorCode,
  type StreamStoreOptions,
  type StreamWriter,
} from './stream-store.ts'
export {
  buildUpstreamRequest,
  type ProviderProtocolId,
  type UpstreamRequest,
  type UpstreamRequestOptions,
} from './upstream-request.ts'
