/**
 * The registry of every protocol Sluice decodes, by id.
 *
 * @example
 * ```ts
 * import { protocols } from '@sluice/core'
 * protocols.anthropic.framing // 'sse'
 * protocols.ollama.framing // 'ndjson'
 * ```
 * @module
 */
import type { Protocol, ProtocolId } from '../protocol.ts'
import { assertProtocol } from '../resolve-protocol.ts'
import { agUiProtocol } from './ag-ui/decode.ts'
import { agentEventsProtocol } from './agent-events/decode.ts'
import { aiSdkProtocol } from './ai-sdk/decode.ts'
import { anthropicProtocol } from './anthropic/decode.ts'
import { geminiProtocol } from './gemini/decode.ts'
import { messageEventsProtocol } from './message-events/decode.ts'
import { ollamaProtocol } from './ollama/decode.ts'
import { openaiChatProtocol } from './openai-chat/decode.ts'
import { openaiResponsesProtocol } from './openai-responses/decode.ts'
import { streamChunkProtocol } from './stream-chunk/decode.ts'
import { streamDeltaProtocol } from './stream-delta/decode.ts'
import { textProtocol } from './text/decode.ts'

/** Every protocol by id. Each has `{ id, framing, createDecoder, decodeResponse?, decodeError? }`. */
export const protocols: Readonly<Record<ProtocolId, Protocol>> = Object.freeze({
  'openai-chat': openaiChatProtocol,
  'openai-responses': openaiResponsesProtocol,
  anthropic: anthropicProtocol,
  ollama: ollamaProtocol,
  gemini: geminiProtocol,
  'ai-sdk': aiSdkProtocol,
  'ag-ui': agUiProtocol,
  'stream-chunk': streamChunkProtocol,
  'stream-delta': streamDeltaProtocol,
  'agent-events': agentEventsProtocol,
  'message-events': messageEventsProtocol,
  text: textProtocol,
})

export { protocolIds } from '../resolve-protocol.ts'

/**
 * Resolve a protocol given by id or by value, with an error that lists the known ids.
 * Importing this loads every decoder; `createChat`, `readChatEvents` and `collectMessage` resolve
 * an id without it (the registry is loaded on first use), so only use it when you need the
 * `Protocol` object synchronously.
 *
 * @example
 * ```ts
 * resolveProtocol('openai-chat').id // 'openai-chat'
 * ```
 */
export function resolveProtocol(protocol: Protocol | ProtocolId): Protocol {
  if (typeof protocol !== 'string') return protocol
  assertProtocol(protocol)
  return protocols[protocol]
}
