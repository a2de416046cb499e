/**
 * The encode direction of `stream-chunk`, for mocks.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'
import { errorToBackend } from '../shared/provider-error.ts'

/** One `stream-chunk` frame as the encoder writes it. */
interface StreamChunkFrame {
  text: string
  is_complete: boolean
  token_count?: number
  metadata?: Record<string, unknown>
  finish_reason?: string
}

/**
 * A tool call as a model writes it inside its text (the Hermes/Qwen chat template's tags, which
 * seed 001's chat template extracts and `inlineTags: true` reads back as a tool call).
 */
function toolCallText(name: string, input: unknown): string {
  return `<tool_call>${JSON.stringify({ name, arguments: input ?? {} })}</tool_call>`
}

/**
 * An encoder for one `stream-chunk` response, writing seed 001's `StreamChunk { text,
 * is_complete, token_count, metadata? }`.
 *
 * - `text-delta` → `{"text": delta, "is_complete": false, "token_count": n}`; `token_count`
 *   is cumulative ("token count for progress tracking"): one more per text delta sent, or the
 *   latest `usage.outputTokens` when that is higher.
 * - `usage` with a higher `outputTokens` → `{"text": "", "is_complete": false, "token_count": n}`.
 * - Tool calls: the wire carries text only, so a tool call travels inside it, in the tags the
 *   model writes and seed 001's chat template extracts: `tool-call-end` → `{"text":
 *   "<tool_call>{\"name\": …, \"arguments\": {…}}</tool_call>", …}`. Read it with
 *   `inlineTags: true`. Tool results have no place on this wire and are dropped.
 * - `metadata` (and `message-start` metadata) → `{"text": "", "is_complete": false, "metadata": {…}}`.
 * - `message-end` → `{"text": "", "is_complete": true, "token_count"?: n}`; a finish reason
 *   other than `stop` is sent as `finish_reason`. When the end carries `content` that extends
 *   the streamed text, the missing suffix is sent as the final frame's `text` (the wire has
 *   no replacement).
 * - `message-error` → `{"error": {"message", "code"?}}`.
 * - Everything else the wire cannot express (reasoning, tool results, steps, sources, files,
 *   data) is dropped; `message-interrupt` and `message-abort` send nothing (the stream just stops).
 *
 * @example
 * ```ts
 * const encoder = streamChunkCodec.createEncoder()
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' })
 * // [{ data: '{"text":"Hi","is_complete":false,"token_count":1}' }]
 * ```
 */
export function createStreamChunkEncoder(_options: EncoderOptions = {}): ProtocolEncoder {
  let tokenCount: number | undefined
  let streamedText = ''
  const toolCalls = new Map<string, { name: string; inputText: string }>()
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
          tokenCount = (tokenCount ?? 0) + 1
          return frame(chunk(event.delta, false))
        case 'usage':
          if (event.usage.outputTokens === undefined || event.usage.outputTokens <= (tokenCount ?? -1))
            return []
          tokenCount = event.usage.outputTokens
          return frame(chunk('', false))
        case 'tool-call-start':
          toolCalls.set(event.toolCallId, { name: event.toolName, inputText: '' })
          return []
        case 'tool-call-delta': {
          const call = toolCalls.get(event.toolCallId)
          if (call !== undefined) call.inputText += event.delta
          return []
        }
        case 'tool-call-end': {
          const call = toolCalls.get(event.toolCallId)
          const text = event.inputText ?? call?.inputText ?? ''
          let input = event.input
          if (input === undefined) {
            try {
              input = text.trim() === '' ? {} : (JSON.parse(text) as unknown)
            } catch {
              input = text
            }
          }
          const tagged = toolCallText(event.toolName ?? call?.name ?? '', input)
          streamedText += tagged
          tokenCount = (tokenCount ?? 0) + 1
          return frame(chunk(tagged, false))
        }
        case 'message-end': {
          ended = true
          if (event.usage?.outputTokens !== undefined && event.usage.outputTokens > (tokenCount ?? -1))
            tokenCount = event.usage.outputTokens
          const suffix = event.content?.startsWith(streamedText)
            ? event.content.slice(streamedText.length)
            : ''
          if (suffix !== '') tokenCount = (tokenCount ?? 0) + 1
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
