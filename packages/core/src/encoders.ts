/**
 * The encode direction of every protocol: `ChatEvent`s → the exact frames the real server
 * sends. For mocks and tests (`@sluice/msw` is built on it); apps never import this subpath.
 *
 * @example
 * ```ts
 * import { encoders } from '@sluice/core/encoders'
 * import { serializeFrames } from '@sluice/core/encoders'
 * const encoder = encoders.anthropic.createEncoder({ model: 'claude-sonnet-4-5' })
 * const body = serializeFrames([...encoder.encode({ type: 'message-start', messageId: 'm1' }), ...encoder.end()], 'sse')
 * ```
 * @module
 */
import type { ProtocolCodec, ProtocolId } from './protocol.ts'
import { agUiCodec } from './protocols/ag-ui/encode.ts'
import { agentEventsCodec } from './protocols/agent-events/encode.ts'
import { aiSdkCodec } from './protocols/ai-sdk/encode.ts'
import { anthropicCodec } from './protocols/anthropic/encode.ts'
import { geminiCodec } from './protocols/gemini/encode.ts'
import { messageEventsCodec } from './protocols/message-events/encode.ts'
import { ollamaCodec } from './protocols/ollama/encode.ts'
import { openaiChatCodec } from './protocols/openai-chat/encode.ts'
import { openaiResponsesCodec } from './protocols/openai-responses/encode.ts'
import { streamChunkCodec } from './protocols/stream-chunk/encode.ts'
import { streamDeltaCodec } from './protocols/stream-delta/encode.ts'
import { textCodec } from './protocols/text/encode.ts'

export { serializeFrame, serializeFrames } from './framing/serialize-frame.ts'
export { aiSdkResponseHeaders } from './protocols/ai-sdk/encode.ts'
export {
  agentEventsCodec,
  agUiCodec,
  aiSdkCodec,
  anthropicCodec,
  geminiCodec,
  messageEventsCodec,
  ollamaCodec,
  openaiChatCodec,
  openaiResponsesCodec,
  streamChunkCodec,
  streamDeltaCodec,
  textCodec,
}

/** Every protocol's encoder by id. */
export const encoders: Readonly<Record<ProtocolId, ProtocolCodec>> = Object.freeze({
  'openai-chat': openaiChatCodec,
  'openai-responses': openaiResponsesCodec,
  anthropic: anthropicCodec,
  ollama: ollamaCodec,
  gemini: geminiCodec,
  'ai-sdk': aiSdkCodec,
  'ag-ui': agUiCodec,
  'stream-chunk': streamChunkCodec,
  'stream-delta': streamDeltaCodec,
  'agent-events': agentEventsCodec,
  'message-events': messageEventsCodec,
  text: textCodec,
})

export type { AgentEventsEncoderOptions } from './protocols/agent-events/encode.ts'
export type { MessageEventsEncoderOptions } from './protocols/message-events/encode.ts'
