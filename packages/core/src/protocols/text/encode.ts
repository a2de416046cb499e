/**
 * {@link ChatEvent}s → a plain text body (for mocks): the text deltas, nothing else.
 *
 * @example
 * ```ts
 * import { textCodec } from '@sluice/core/encoders'
 * textCodec.createEncoder().encode({ type: 'text-delta', messageId: 'm1', id: 't1', delta: 'Hi' })
 * // → [{ data: 'Hi' }]
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'

function createTextEncoder(): ProtocolEncoder {
  let streamedText = false
  let finished = false
  return {
    encode(event: ChatEvent): Frame[] {
      if (finished) return []
      switch (event.type) {
        case 'text-delta':
          if (event.delta === '') return []
          streamedText = true
          return [{ data: event.delta }]
        case 'message-end':
          finished = true
          // Authoritative final content that was never streamed is still the body.
          return !streamedText && event.content ? [{ data: event.content }] : []
        case 'message-error':
        case 'message-abort':
        case 'message-interrupt':
          // Plain text cannot say "error": the body just stops.
          finished = true
          return []
        default:
          return []
      }
    },
    end: () => [],
  }
}

/**
 * The encode direction of the plain text protocol: the body is the answer's text.
 *
 * @example
 * ```ts
 * import { textCodec } from '@sluice/core/encoders'
 * textCodec.encodeResponse?.(events) // 'Hello, world'
 * ```
 */
export const textCodec: ProtocolCodec = {
  id: 'text',
  framing: 'text',
  createEncoder: createTextEncoder,
  encodeResponse(events: readonly ChatEvent[]): unknown {
    let text = ''
    for (const event of events) {
      if (event.type === 'text-delta') text += event.delta
      if (event.type === 'message-end' && event.content !== undefined) text = event.content
    }
    return text
  },
  encodeError(_status: number, message: string): unknown {
    return message
  },
}
