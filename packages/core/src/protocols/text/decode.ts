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

/** The message id used when the caller gives none. */
export const textDefaultMessageId = 'text-response'
/** The id of the one text part. */
export const textPartId = 'text-0'

function createTextDecoder(options?: DecoderOptions): ProtocolDecoder {
  const messageId = options?.messageId ?? textDefaultMessageId
  let started = false
  let ended = false
  const start = (events: ChatEvent[]) => {
    if (started) return
    started = true
    events.push(
      { type: 'message-start', messageId, role: 'assistant' },
      { type: 'text-start', messageId, id: textPartId },
    )
  }
  return {
    decode(frame: Frame): ChatEvent[] {
      if (ended) return []
      const events: ChatEvent[] = []
      start(events)
      if (frame.data !== '') events.push({ type: 'text-delta', messageId, id: textPartId, delta: frame.data })
      return events
    },
    end(): ChatEvent[] {
      if (ended) return []
      ended = true
      // A plain text body has no terminal marker: its end is the end of the answer.
      const events: ChatEvent[] = []
      start(events)
      events.push(
        { type: 'text-end', messageId, id: textPartId },
        { type: 'message-end', messageId, finishReason: 'stop' },
      )
      return events
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
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    return [...decoder.decode({ data: text }), ...decoder.end()]
  },
  decodeError(body: unknown, status: number) {
    const text = typeof body === 'string' ? body.trim() : ''
    return text === '' ? undefined : { message: text, status }
  },
}
