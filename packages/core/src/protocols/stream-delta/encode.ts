/**
 * The encode direction of `stream-delta`, for mocks.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'
import { finishReasonToOpenAI } from '../shared/finish-reason.ts'
import { errorToBackend } from '../shared/provider-error.ts'

/** One accumulated tool call as the encoder writes it. */
interface StreamDeltaToolCall {
  id: string
  name: string
  arguments: string
}

/** The usage object the encoder writes. */
interface StreamDeltaUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** One `stream-delta` frame as the encoder writes it. */
interface StreamDeltaFrame {
  content: string | null
  reasoning_content?: string
  tool_calls: StreamDeltaToolCall[] | null
  finish_reason: string | null
  usage: StreamDeltaUsage | null
}

function usageToStreamDelta(usage: Usage): StreamDeltaUsage {
  const promptTokens = usage.inputTokens ?? 0
  const completionTokens = usage.outputTokens ?? 0
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: usage.totalTokens ?? promptTokens + completionTokens,
  }
}

/**
 * An encoder for one `stream-delta` response.
 *
 * - `text-delta` → `{"content": delta, "tool_calls": <all calls so far or null>, "finish_reason": null, "usage": null}`.
 * - `reasoning-delta` → the same with `"content": null, "reasoning_content": delta`.
 * - `tool-call-start` / `tool-call-delta` → a frame whose `tool_calls` holds every call so
 *   far as `{id, name, arguments}`, with this call's `arguments` grown by the delta. Once a
 *   call exists, every later frame carries the whole list (that is the wire's contract).
 * - `tool-call-end` with `inputText` (or with `input` and no streamed text) that differs from
 *   what was sent → one more frame with the final `arguments`.
 * - `usage` → `{"content": null, …, "usage": {prompt_tokens, completion_tokens, total_tokens}}`.
 * - `message-end` → `{"content": null, "tool_calls": …, "finish_reason": word, "usage": …}`
 *   (`tool-calls` → `tool_calls`, `content-filter` → `content_filter`; no reason → `stop`).
 *   An end `content` that extends the streamed text sends its missing suffix as `content`.
 * - `message-error` → `{"error": {"message", "code"?}}`.
 * - Tool results, steps, sources, files, data and metadata have no place on this wire and
 *   are dropped; `message-interrupt` and `message-abort` send nothing.
 *
 * @example
 * ```ts
 * const encoder = streamDeltaCodec.createEncoder()
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' })
 * // [{ data: '{"content":"Hi","tool_calls":null,"finish_reason":null,"usage":null}' }]
 * ```
 */
export function createStreamDeltaEncoder(_options: EncoderOptions = {}): ProtocolEncoder {
  const calls: StreamDeltaToolCall[] = []
  const callById = new Map<string, StreamDeltaToolCall>()
  let usage: Usage | undefined
  let streamedText = ''
  let ended = false

  function frame(fields: Partial<StreamDeltaFrame>): Frame[] {
    const value: StreamDeltaFrame = {
      content: null,
      tool_calls: calls.length === 0 ? null : calls,
      finish_reason: null,
      usage: null,
      ...fields,
    }
    return [{ data: JSON.stringify(value) }]
  }

  return {
    encode(event: ChatEvent): Frame[] {
      if (ended) return []
      switch (event.type) {
        case 'text-delta':
          if (event.delta === '') return []
          streamedText += event.delta
          return frame({ content: event.delta })
        case 'reasoning-delta':
          return event.delta === '' ? [] : frame({ reasoning_content: event.delta })
        case 'tool-call-start': {
          if (callById.has(event.toolCallId)) return []
          const call = { id: event.toolCallId, name: event.toolName, arguments: '' }
          calls.push(call)
          callById.set(call.id, call)
          return frame({})
        }
        case 'tool-call-delta': {
          const call = callById.get(event.toolCallId)
          if (call === undefined || event.delta === '') return []
          call.arguments += event.delta
          return frame({})
        }
        case 'tool-call-end': {
          let call = callById.get(event.toolCallId)
          if (call === undefined) {
            call = { id: event.toolCallId, name: event.toolName ?? '', arguments: '' }
            calls.push(call)
            callById.set(call.id, call)
          }
          const final =
            event.inputText ??
            (call.arguments === '' && event.input !== undefined ? JSON.stringify(event.input) : undefined)
          if (final === undefined || final === call.arguments) return []
          call.arguments = final
          return frame({})
        }
        case 'usage':
          usage = { ...usage, ...event.usage }
          return frame({ usage: usageToStreamDelta(usage) })
        case 'message-end': {
          ended = true
          if (event.usage !== undefined) usage = { ...usage, ...event.usage }
          const suffix = event.content?.startsWith(streamedText)
            ? event.content.slice(streamedText.length)
            : ''
          return frame({
            content: suffix === '' ? null : suffix,
            finish_reason: finishReasonToOpenAI(event.finishReason, event.rawFinishReason),
            usage: usage === undefined ? null : usageToStreamDelta(usage),
          })
        }
        case 'message-error':
          ended = true
          return [{ data: JSON.stringify({ error: errorToBackend(event.error) }) }]
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
 * The `stream-delta` codec (events → frames). Default framing `sse`.
 *
 * @example
 * ```ts
 * import { streamDeltaCodec } from '@sluice/core/encoders'
 * const encoder = streamDeltaCodec.createEncoder()
 * const frames = events.flatMap((event) => encoder.encode(event)).concat(encoder.end())
 * ```
 */
export const streamDeltaCodec: ProtocolCodec = {
  id: 'stream-delta',
  framing: 'sse',
  createEncoder: createStreamDeltaEncoder,
  encodeError(_status: number, message: string, options?: { code?: string }) {
    return { error: options?.code === undefined ? { message } : { message, code: options.code } }
  },
}
