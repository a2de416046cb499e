/**
 * A plain text body → {@link ChatEvent}s: every frame is more text of one text part, and the end
 * of the body is the end of the answer.
 *
 * @example
 * ```ts
 * import { textProtocol } from '@sluice/core'
 * const decoder = textProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: 'Hello' }) // → message-start, text-start, text-delta 'Hello'
 * decoder.end() // → text-end, message-end (stop)
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { DecoderOptions, Frame, Protocol, ProtocolDecoder } from '../../protocol.ts'
import {
  createMessageEmitter,
  createTextBlocks,
  decoderFailure,
  stringifyWireValue,
} from '../shared/index.ts'

/** The message id used when the caller gives none. */
export const textDefaultMessageId = 'text-response'
/** The id of the one text part. */
export const textPartId = 'text-0'

/**
 * The decoder kit without a frame loop (the frames are text, not JSON): one message, one text
 * block (`text-0`), and the end of the body completes it (plain text has no terminal marker).
 */
function createTextDecoder(options?: DecoderOptions): ProtocolDecoder {
  const message = createMessageEmitter({
    messageId: options?.messageId,
    fallbackMessageId: textDefaultMessageId,
  })
  const blocks = createTextBlocks(() => message.messageId)
  return {
    decode(frame: Frame): ChatEvent[] {
      if (message.isTerminal) return []
      message.start()
      blocks.append(message, 'text', frame.data)
      return message.take()
    },
    end(): ChatEvent[] {
      if (message.isTerminal) return message.take()
      blocks.close(message)
      message.end({ finishReason: 'stop' })
      return message.take()
    },
  }
}

/**
 * The plain text protocol: the response body is the answer's text, streamed as it arrives.
 *
 * @example
 * ```ts
 * import { collectMessage, textProtocol } from '@sluice/core'
 * const message = await collectMessage((await fetch('/api/complete')).body!, textProtocol)
 * ```
 */
export const textProtocol: Protocol = {
  id: 'text',
  framing: 'text',
  createDecoder: createTextDecoder,
  decodeResponse(body: unknown, options?: DecoderOptions): ChatEvent[] {
    const decoder = createTextDecoder(options)
    let text: string
    try {
      // A JSON body read as text: shown as its JSON, unless it is too deep to write out.
      text = typeof body === 'string' ? body : stringifyWireValue(body, 'text', 'a JSON body')
    } catch (error) {
      const messageId = options?.messageId ?? textDefaultMessageId
      return [
        { type: 'message-start', messageId, role: 'assistant' },
        { type: 'message-error', messageId, error: decoderFailure('text', error) },
      ]
    }
    return [...decoder.decode({ data: text }), ...decoder.end()]
  },
  decodeError(body: unknown, status: number) {
    const text = typeof body === 'string' ? body.trim() : ''
    return text === '' ? undefined : { message: text, status }
  },
}
