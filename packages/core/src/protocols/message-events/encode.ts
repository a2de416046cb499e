/**
 * The encode direction of `message-events`, for mocks.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { MessageRole } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'

/** Options of the `message-events` encoder. */
export interface MessageEventsEncoderOptions extends EncoderOptions {
  /**
   * The envelope: `type-data` (`{"type": name, "data": {...}}`, the default), `event-payload`
   * (`{"event": name, "payload": {...}}`) or `flat` (`{"type": name, ...fields}`).
   */
  envelope?: 'type-data' | 'event-payload' | 'flat'
  /**
   * Number the frames with `seq` (default false: seed 004 has no sequence numbers): an event's
   * own `sequence` when it has one, otherwise one more than the last number sent.
   */
  numberFrames?: boolean
  /** `author_name` of the assistant's messages when their `message-start` metadata names none. Default `Assistant`. */
  authorName?: string
}

/** What the encoder knows about one message. */
interface EncodedMessage {
  role: MessageRole
  text: string
  authorName: string | undefined
  announced: boolean
}

/**
 * An encoder for one `message-events` connection, writing exactly the events of seed 004's
 * "WebSocket Event Flow"; many messages may share it.
 *
 * - `message-start` (assistant) → `message_new {id, content: "", author_name, metadata:
 *   {streaming: true}}` (the placeholder). Messages of other roles are sent whole at their
 *   `message-end`: `message_new {id, content, author_name, author_type, metadata: {streaming:
 *   false}}` (`author_type` is the role: `user` for the echo of the user's own message).
 * - `text-delta` → `message_stream {message_id, chunk, is_final: false}`.
 * - `message-end` → the final chunk `message_stream {message_id, chunk: "", is_final: true,
 *   metadata: {tool_calls: null}}`, then `message_update {id, content, metadata: {streaming:
 *   false}}` where `content` is the end's `content` or else all streamed text.
 * - `message-error` → the final chunk carrying the error, as seed 004's error handling yields
 *   it: `message_stream {message_id, chunk: "Error: <message>", is_final: true, metadata:
 *   {tool_calls: null, error: "<message>"}}`.
 * - `message-abort` → `stream_cancelled {message_id}` (the acknowledgement of a `stream_cancel`);
 *   `message-interrupt` sends nothing (the socket just closes).
 * - Usage, finish reasons, reasoning, tool calls, steps, sources, files, data and metadata have
 *   no place on this wire and are dropped (the decoder still reads `usage` and `finish_reason`
 *   from servers that add them).
 *
 * @example
 * ```ts
 * const encoder = messageEventsCodec.createEncoder({ envelope: 'flat' })
 * encoder.encode({ type: 'text-delta', messageId: 'a1', id: 't', delta: 'Hi' })
 * // [{ data: '{"type":"message_stream","message_id":"a1","chunk":"Hi","is_final":false}' }]
 * ```
 */
export function createMessageEventsEncoder(options: MessageEventsEncoderOptions = {}): ProtocolEncoder {
  const envelope = options.envelope ?? 'type-data'
  const numberFrames = options.numberFrames ?? false
  const defaultAuthor = options.authorName ?? 'Assistant'
  const messages = new Map<string, EncodedMessage>()
  let nextSequence = 1

  function frame(name: string, fields: Record<string, unknown>, event: ChatEvent): Frame {
    const body: Record<string, unknown> = { ...fields }
    if (event.sequence !== undefined) {
      body.seq = event.sequence
      nextSequence = Math.max(nextSequence, event.sequence + 1)
    } else if (numberFrames) {
      body.seq = nextSequence++
    }
    const value =
      envelope === 'flat'
        ? { type: name, ...body }
        : envelope === 'event-payload'
          ? { event: name, payload: body }
          : { type: name, data: body }
    return { data: JSON.stringify(value) }
  }

  function messageFor(event: ChatEvent): EncodedMessage {
    let message = messages.get(event.messageId)
    if (message === undefined) {
      message = { role: 'assistant', text: '', authorName: undefined, announced: false }
      messages.set(event.messageId, message)
    }
    return message
  }

  function finalChunk(id: string, event: ChatEvent, error?: string): Frame {
    const metadata: Record<string, unknown> = { tool_calls: null }
    if (error !== undefined) metadata.error = error
    return frame(
      'message_stream',
      { message_id: id, chunk: error === undefined ? '' : `Error: ${error}`, is_final: true, metadata },
      event,
    )
  }

  return {
    encode(event: ChatEvent): Frame[] {
      const id = event.messageId
      switch (event.type) {
        case 'message-start': {
          const message = messageFor(event)
          message.role = event.role ?? 'assistant'
          const authorName = event.metadata?.authorName
          if (typeof authorName === 'string') message.authorName = authorName
          if (message.announced || message.role !== 'assistant') return []
          message.announced = true
          return [
            frame(
              'message_new',
              {
                id,
                content: '',
                author_name: message.authorName ?? defaultAuthor,
                metadata: { streaming: true },
              },
              event,
            ),
          ]
        }
        case 'text-delta': {
          if (event.delta === '') return []
          const message = messageFor(event)
          message.text += event.delta
          if (message.role !== 'assistant') return []
          return [frame('message_stream', { message_id: id, chunk: event.delta, is_final: false }, event)]
        }
        case 'text-end': {
          // The wire has no snapshot of its own: an authoritative text is sent with the final version.
          if (event.text !== undefined) messageFor(event).text = event.text
          return []
        }
        case 'message-end': {
          const message = messageFor(event)
          const content = event.content ?? message.text
          messages.delete(id)
          if (message.role !== 'assistant') {
            return [
              frame(
                'message_new',
                {
                  id,
                  content,
                  author_name: message.authorName ?? (message.role === 'user' ? 'You' : message.role),
                  author_type: message.role,
                  metadata: { streaming: false },
                },
                event,
              ),
            ]
          }
          // One event, two frames: only the first may carry the event's sequence number (the
          // decoder drops a frame whose number it has already applied).
          const { sequence: _sequence, ...unnumbered } = event
          return [
            finalChunk(id, event),
            frame('message_update', { id, content, metadata: { streaming: false } }, unnumbered),
          ]
        }
        case 'message-error':
          messages.delete(id)
          return [finalChunk(id, event, event.error.message)]
        case 'message-abort':
          messages.delete(id)
          return [frame('stream_cancelled', { message_id: id }, event)]
        default:
          return []
      }
    },
    end(): Frame[] {
      return []
    },
  }
}

/**
 * The `message-events` codec (events → frames). Default framing `frames` (WebSocket messages).
 *
 * @example
 * ```ts
 * import { messageEventsCodec } from '@sluice/core/encoders'
 * const encoder = messageEventsCodec.createEncoder({ envelope: 'event-payload' })
 * ```
 */
export const messageEventsCodec: ProtocolCodec = {
  id: 'message-events',
  framing: 'frames',
  createEncoder: createMessageEventsEncoder,
  encodeError(_status: number, message: string, options?: { code?: string }) {
    return { error: options?.code === undefined ? { message } : { message, code: options.code } }
  },
}
