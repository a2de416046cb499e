/**
 * The encode direction of `stream-chunk`, for mocks.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'
import { errorToBackend } from '../agent-events/backend-error.ts'

/** One `stream-chunk` frame as the encoder writes it. */
interface StreamChunkFrame {
  text: string
  is_complete: boolean
  token_count?: number
  metadata?: Record<string, unknown>
  finish_reason?: string
}

/**
 * An encoder for one `stream-chunk` response.
 *
 * - `text-delta` → `{"text": delta, "is_complete": false, "token_count"?: n}`; `token_count`
 *   is the latest known `usage.outputTokens`, present once a `usage` event (or a message-end
 *   usage) has given one.
 * - `usage` with `outputTokens` → `{"text": "", "is_complete": false, "token_count": n}`.
 * - `metadata` (and `message-start` metadata) → `{"text": "", "is_complete": false, "metadata": {…}}`.
 * - `message-end` → `{"text": "", "is_complete": true, "token_count"?: n}`; a finish reason
 *   other than `stop` is sent as `finish_reason`. When the end carries `content` that extends
 *   the streamed text, the missing suffix is sent as the final frame's `text` (the wire has
 *   no replacement).
 * - `message-error` → `{"error": {"message", "code"?}}`.
 * - Everything the wire cannot express (reasoning, tool calls, steps, sources, files, data)
 *   is dropped; `message-interrupt` and `message-abort` send nothing (the stream just stops).
 *
 * @example
 * ```ts
 * const encoder = streamChunkCodec.createEncoder()
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' })
 * // [{ data: '{"text":"Hi","is_complete":false}' }]
 * ```
 */
export function createStreamChunkEncoder(_options: EncoderOptions = {}): ProtocolEncoder {
  let tokenCount: number | undefined
  let streamedText = ''
  let ended = false

  function frame(value: StreamChunkFrame | { error: unknown }): Frame[] {
    return [{ data: JSON.stringify(value) }]
  }
  function chunk(text: string, isComplete: boolean): StreamChunkFrame {
    const value: StreamChunkFrame = { text, is_complete: isComplete }
    if (tokenCount !== undefined) value.token_count = tokenCount
    return value
  }

  return {
    encode(event: ChatEvent): Frame[] {
      if (ended) return []
      switch (event.type) {
        case 'message-start':
          return event.metadata === undefined ? [] : frame({ ...chunk('', false), metadata: event.metadata })
        case 'metadata':
          return frame({ ...chunk('', false), metadata: event.metadata })
        case 'text-delta':
          if (event.delta === '') return []
          streamedText += event.delta
          return frame(chunk(event.delta, false))
        case 'usage':
          if (event.usage.outputTokens === undefined || event.usage.outputTokens === tokenCount) return []
          tokenCount = event.usage.outputTokens
          return frame(chunk('', false))
        case 'message-end': {
          ended = true
          if (event.usage?.outputTokens !== undefined) tokenCount = event.usage.outputTokens
          const suffix = event.content?.startsWith(streamedText)
            ? event.content.slice(streamedText.length)
            : ''
          const value = chunk(suffix, true)
          const reason = event.rawFinishReason ?? event.finishReason
          if (reason !== undefined && reason !== 'stop') value.finish_reason = reason
          if (event.metadata !== undefined) value.metadata = event.metadata
          return frame(value)
        }
        case 'message-error':
          ended = true
          return frame({ error: errorToBackend(event.error) })
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
 * The `stream-chunk` codec (events → frames). Default framing `sse`.
 *
 * @example
 * ```ts
 * import { streamChunkCodec } from '@sluice/core/encoders'
 * const encoder = streamChunkCodec.createEncoder()
 * const frames = events.flatMap((event) => encoder.encode(event)).concat(encoder.end())
 * ```
 */
export const streamChunkCodec: ProtocolCodec = {
  id: 'stream-chunk',
  framing: 'sse',
  createEncoder: createStreamChunkEncoder,
  encodeError(_status: number, message: string, options?: { code?: string }) {
    return { error: options?.code === undefined ? { message } : { message, code: options.code } }
  },
}
