/**
 * @sluice/core: stream decoding for every major LLM wire format, one chat event model, a pure
 * reducer, a zustand vanilla store and the chat controller. No React.
 *
 * @example
 * ```ts
 * import { collectMessage } from '@sluice/core'
 * const response = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body, headers })
 * const message = await collectMessage(response.body!, 'openai-chat')
 * ```
 * @module
 */

export * from './branches.ts'
export * from './chat/index.ts'
export { ChatStreamError, type ChatStreamErrorCode, describeThrown } from './chat-stream-error.ts'
export { collectMessage } from './collect-message.ts'
export * from './events.ts'
export { createFramer } from './framing/create-framer.ts'
export { createTextChunkDecoder, type TextChunkDecoder } from './framing/create-text-chunk-decoder.ts'
export { defaultMaxBufferSize, type Framer, type FramerOptions } from './framing/framer.ts'
export { createNdjsonFramer } from './framing/ndjson-framer.ts'
export { createPassthroughFramer } from './framing/passthrough-framer.ts'
export { createSseFramer } from './framing/sse-framer.ts'
export { StreamFramingError, type StreamFramingErrorCode } from './framing/stream-framing-error.ts'
export { createInlineTagTransform, type InlineTagTransform, stripInlineTags } from './inline-tags.ts'
export * from './message.ts'
export {
  activePath,
  emptyTree,
  type MessageTree,
  siblingsOf,
  type TreeFields,
  treeFromSaved,
} from './message-tree.ts'
export type * from './protocol.ts'
// Each protocol on its own: passing one of these to `createChat`, `readChatEvents` or
// `collectMessage` bundles that decoder only. `protocols` (and an id) loads all of them.
export { agUiProtocol } from './protocols/ag-ui/decode.ts'
export { agentEventsProtocol } from './protocols/agent-events/decode.ts'
export { aiSdkProtocol } from './protocols/ai-sdk/decode.ts'
export { anthropicProtocol } from './protocols/anthropic/decode.ts'
export { geminiProtocol } from './protocols/gemini/decode.ts'
export { protocols, resolveProtocol } from './protocols/index.ts'
export { encodeCancelFrame, messageEventsProtocol } from './protocols/message-events/decode.ts'
export { ollamaProtocol } from './protocols/ollama/decode.ts'
export {
  type OpenAIChatDecoderOptions,
  type OpenAIChatProtocol,
  openaiChatProtocol,
} from './protocols/openai-chat/decode.ts'
export { openaiResponsesProtocol } from './protocols/openai-responses/decode.ts'
export { streamChunkProtocol } from './protocols/stream-chunk/decode.ts'
export { streamDeltaProtocol } from './protocols/stream-delta/decode.ts'
export { textProtocol } from './protocols/text/decode.ts'
export {
  type ChatEventSource,
  type ReadChatEventsOptions,
  readChatEventBatches,
  readChatEvents,
} from './read-chat-events.ts'
export { type ChatState, initialChatState, reduceChat, reduceMessage } from './reducer.ts'
export {
  assertProtocol,
  isProtocolId,
  loadProtocol,
  protocolIds,
  unknownProtocolError,
} from './resolve-protocol.ts'
export { copyRecord, createRecord, hasOwnKey, ownValue, withEntry } from './safety/records.ts'
export * from './store.ts'
export * from './suggestions.ts'
