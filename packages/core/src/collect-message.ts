/**
 * The whole-stream entry point: bytes in, the final assistant message out.
 *
 * @module
 */
import { ChatStreamError } from './chat-stream-error.ts'
import type { Message } from './message.ts'
import type { Protocol, ProtocolId } from './protocol.ts'
import { withIndefiniteArticle } from './protocols/json-frame.ts'
import { type ChatEventSource, type ReadChatEventsOptions, readChatEventBatches } from './read-chat-events.ts'
import { initialChatState, reduceChat } from './reducer.ts'
import { ownValue } from './safety/records.ts'

/**
 * Read a whole stream and return the final assistant message it produced, whatever its status:
 * `complete`, or `error` / `interrupted` with the partial content kept.
 *
 * Same options and behaviour as `readChatEvents` (abort rejects with `signal.reason`). Events
 * are folded with `reduceChat` one source chunk at a time. A decoder that throws on hostile
 * bytes ends the message with `status: 'error'` (code `decoder-error`), keeping what came
 * before. Rejects only when there is no message to return: a `ChatStreamError` when the stream
 * produced no assistant message (or the decoder failed before one began), a
 * `StreamFramingError` when framing overflowed before one began, the source's own error when
 * it failed before one began, and `signal.reason` on abort.
 *
 * @example
 * ```ts
 * const response = await fetch('/v1/messages', { method: 'POST', headers, body })
 * const message = await collectMessage(response.body!, 'anthropic')
 * console.log(message.status, messageText(message))
 * ```
 */
export async function collectMessage(
  source: ChatEventSource,
  protocol: Protocol | ProtocolId,
  options: ReadChatEventsOptions = {},
): Promise<Message> {
  let state = initialChatState
  for await (const batch of readChatEventBatches(source, protocol, options)) {
    state = reduceChat(state, batch)
  }
  for (let index = state.messageIds.length - 1; index >= 0; index -= 1) {
    const message = ownValue(state.messages, state.messageIds[index]!)
    if (message?.role === 'assistant') return message
  }
  const protocolId = typeof protocol === 'string' ? protocol : protocol.id
  throw new ChatStreamError(
    `The stream produced no assistant message (protocol "${protocolId}", framing "${
      options.framing ?? (typeof protocol === 'string' ? 'default' : protocol.framing)
    }"). Check that the body is ${withIndefiniteArticle(protocolId)} stream and not an error page or an empty response.`,
    { code: 'no-assistant-message', protocol: protocolId },
  )
}
