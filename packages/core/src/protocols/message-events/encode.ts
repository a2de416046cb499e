/**
 * The encode direction of `message-events`, for mocks.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { MessageRole, Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'
import { errorToBackend } from '../agent-events/backend-error.ts'
import { finishReasonToBackend } from '../agent-events/backend-finish-reason.ts'
import { usageToBackend } from '../agent-events/backend-usage.ts'

/** Options of the `message-events` encoder. */
export interface MessageEventsEncoderOptions extends EncoderOptions {
  /**
   * The envelope: `type-data` (`{"type": name, "data": {...}}`, the default), `event-payload`
   * (`{"event": name, "payload": {...}}`) or `flat` (`{"type": name, ...fields}`).
   */
  envelope?: 'type-data' | 'event-payload' | 'flat'
  /**
   * Number the frames with `seq` (default true): an event's own `sequence` when it has one,
   * otherwise one more than the last number sent.
   */
  numberFrames?: boolean
}

/** What the encoder knows about one message. */
interface EncodedMessage {
  role: MessageRole
  text: string
  usage: Usage | undefined
  announced: boolean
}

/**
 * An encoder for one `message-events` connection; many messages may share it.
 *
 * - `message-start` (assistant) → `message_new {id, role: "assistant"}`. Messages of other
 *   roles are sent whole at their `message-end`: `message_new {id, role, content}`.
 * - `text-delta` → `message_stream {id, delta, seq}`.
 * - `text-end` with a `text` that differs from what was streamed → `message_update {id,
 *   content, status: "streaming"}` (an in-progress snapshot).
 * - `message-end` → `message_update {id, content, status: "complete", finish_reason, usage?,
 *   seq}` where `content` is the end's `content` or else all streamed text (the final
 *   version), `finish_reason` the raw word or `stop`/`length`/`tool_calls`/…, and `usage` the
 *   end's usage merged over earlier `usage` events.
 * - `message-error` → `message_error {id, error: {message, code?}}`; `message-abort` →
 *   `stream_cancelled {id}`; `message-interrupt` sends nothing (the socket just closes).
 * - Reasoning, tool calls, steps, sources, files, data and metadata have no place on this
 *   wire and are dropped.
 *
 * @example
 * ```ts
 * const encoder = messageEventsCodec.createEncoder({ envelope: 'flat' })
 * encoder.encode({ type: 'text-delta', messageId: 'a1', id: 't', delta: 'Hi' })
 * // [{ data: '{"type":"message_stream","id":"a1","delta":"Hi","seq":1}' }]
 * ```
 */
export function createMessageEventsEncoder(options: MessageEventsEncoderOptions = {}): ProtocolEncoder {
  const envelope = options.envelope ?? 'type-data'
  const numberFrames = options.numberFrames ?? true
  const messages = new Map<string, EncodedMessage>()
  let nextSequence = 1

  function frame(name: string, fields: Record<string, unknown>, event: ChatEvent): Frame[] {
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
    return [{ data: JSON.stringify(value) }]
  }

  function messageFor(event: ChatEvent): EncodedMessage {
    let message = messages.get(event.messageId)
    if (message === undefined) {
      message = { role: 'assistant', text: '', usage: undefined, announced: false }
      messages.set(event.messageId, message)
    }
    return message
  }

  return {
    encode(event: ChatEvent): Frame[] {
      const id = event.messageId
      switch (event.type) {
        case 'message-start': {
          const message = messageFor(event)
          message.role = event.role ?? 'assistant'
          if (message.announced || message.role !== 'assistant') return []
          message.announced = true
          return frame('message_new', { id, role: 'assistant' }, event)
        }
        case 'text-delta': {
          if (event.delta === '') return []
          const message = messageFor(event)
          message.text += event.delta
          if (message.role !== 'assistant') return []
          return frame('message_stream', { id, delta: event.delta }, event)
        }
        case 'text-end': {
          const message = messageFor(event)
          if (event.text === undefined || event.text === message.text) return []
          message.text = event.text
          if (message.role !== 'assistant') return []
          return frame('message_update', { id, content: event.text, status: 'streaming' }, event)
        }
        case 'usage': {
          const message = messageFor(event)
          message.usage = { ...message.usage, ...event.usage }
          return []
        }
        case 'message-end': {
          const message = messageFor(event)
          const content = event.content ?? message.text
          messages.delete(id)
          if (message.role !== 'assistant') {
            return frame('message_new', { id, role: message.role, content }, event)
          }
          const usage = event.usage === undefined ? message.usage : { ...message.usage, ...event.usage }
          const fields: Record<string, unknown> = {
            id,
            content,
            status: 'complete',
            finish_reason: finishReasonToBackend(event.finishReason, event.rawFinishReason),
          }
          if (usage !== undefined) fields.usage = usageToBackend(usage)
          return frame('message_update', fields, event)
        }
        case 'message-error':
          messages.delete(id)
          return frame('message_error', { id, error: errorToBackend(event.error) }, event)
        case 'message-abort':
          messages.delete(id)
          return frame('stream_cancelled', { id }, event)
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
