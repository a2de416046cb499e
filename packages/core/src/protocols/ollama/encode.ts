/**
 * {@link ChatEvent}s → the NDJSON lines Ollama's `/api/chat` sends (for mocks).
 *
 * @example
 * ```ts
 * import { ollamaCodec } from '@sluice/core/encoders'
 * const encoder = ollamaCodec.createEncoder({ model: 'qwen3:14b', created: 1_750_000_000 })
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't1', delta: 'Hi' })
 * // → [{ data: '{"model":"qwen3:14b","created_at":"2025-06-15T15:06:40.000Z","message":{"role":"assistant","content":"Hi"},"done":false}' }]
 * ```
 * @module
 */
import type { ChatEvent, MessageEndEvent } from '../../events.ts'
import type { Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'
import { numberField } from '../json-frame.ts'

/** The model name echoed when the caller gives none. */
export const ollamaDefaultModel = 'llama3.2'

/** One tool call as Ollama writes it. `index` is omitted for 0, as Ollama's Go `omitempty` does. */
interface OllamaToolCall {
  function: { index?: number; name: string; arguments: unknown }
}

interface OllamaAssistantMessage {
  role: 'assistant'
  content: string
  thinking?: string
  tool_calls?: OllamaToolCall[]
}

/** Ollama's `done_reason` for a normalized finish reason (Ollama only knows `stop` and `length`). */
function doneReason(event: MessageEndEvent): string {
  const raw = event.rawFinishReason
  if (raw === 'stop' || raw === 'length' || raw === 'load' || raw === 'unload') return raw
  return event.finishReason === 'length' ? 'length' : 'stop'
}

function createdAt(options: EncoderOptions | undefined): string {
  return new Date((options?.created ?? 0) * 1000).toISOString()
}

/** The statistics of the final line; durations from the message metadata when the events carry them. */
function finalStatistics(usage: Usage, metadata: Record<string, unknown> | undefined) {
  return {
    total_duration: numberField(metadata?.totalDuration) ?? 0,
    load_duration: numberField(metadata?.loadDuration) ?? 0,
    prompt_eval_count: usage.inputTokens ?? 0,
    prompt_eval_duration: numberField(metadata?.promptEvalDuration) ?? 0,
    eval_count: usage.outputTokens ?? 0,
    eval_duration: numberField(metadata?.evalDuration) ?? 0,
  }
}

/** Parsed tool input for the wire: `input` when given, else the streamed text parsed (`{}` if it is not JSON). */
function toolArguments(input: unknown, inputText: string): unknown {
  if (input !== undefined) return input
  if (inputText === '') return {}
  try {
    return JSON.parse(inputText) as unknown
  } catch {
    return {}
  }
}

function createOllamaEncoder(options?: EncoderOptions): ProtocolEncoder {
  const model = options?.model ?? ollamaDefaultModel
  const created_at = createdAt(options)
  const pendingToolCalls = new Map<string, { name: string; inputText: string }>()
  let toolCallCount = 0
  let usage: Usage = {}
  let streamedText = false
  let finished = false

  const line = (message: OllamaAssistantMessage): Frame => ({
    data: JSON.stringify({ model, created_at, message, done: false }),
  })

  return {
    encode(event: ChatEvent): Frame[] {
      if (finished) return []
      switch (event.type) {
        case 'text-delta':
          if (event.delta === '') return []
          streamedText = true
          return [line({ role: 'assistant', content: event.delta })]
        case 'reasoning-delta':
          if (event.delta === '') return []
          return [line({ role: 'assistant', content: '', thinking: event.delta })]
        case 'tool-call-start':
          pendingToolCalls.set(event.toolCallId, { name: event.toolName, inputText: '' })
          return []
        case 'tool-call-delta': {
          const call = pendingToolCalls.get(event.toolCallId)
          if (call !== undefined) call.inputText += event.delta
          return []
        }
        case 'tool-call-end': {
          // Ollama sends whole calls, so the call goes on the wire once its input is complete.
          const call = pendingToolCalls.get(event.toolCallId)
          pendingToolCalls.delete(event.toolCallId)
          const name = event.toolName ?? call?.name ?? 'tool'
          const index = toolCallCount++
          const argumentsValue = toolArguments(event.input, event.inputText ?? call?.inputText ?? '')
          const toolCall: OllamaToolCall = {
            function:
              index === 0 ? { name, arguments: argumentsValue } : { index, name, arguments: argumentsValue },
          }
          return [line({ role: 'assistant', content: '', tool_calls: [toolCall] })]
        }
        case 'usage':
          usage = { ...usage, ...event.usage }
          return []
        case 'message-end': {
          finished = true
          if (event.usage !== undefined) usage = { ...usage, ...event.usage }
          const frames: Frame[] = []
          // Authoritative final content that was never streamed still has to reach the client.
          if (!streamedText && event.content) frames.push(line({ role: 'assistant', content: event.content }))
          frames.push({
            data: JSON.stringify({
              model,
              created_at,
              message: { role: 'assistant', content: '' },
              done_reason: doneReason(event),
              done: true,
              ...finalStatistics(usage, event.metadata),
            }),
          })
          return frames
        }
        case 'message-error':
          // Ollama's mid-stream error: one `{"error": "…"}` line and no `done` line after it.
          finished = true
          return [{ data: JSON.stringify({ error: event.error.message }) }]
        case 'message-abort':
        case 'message-interrupt':
          // The stream just stops; the decoder reports the missing `done` line.
          finished = true
          return []
        default:
          // Everything else (block boundaries, tool results, sources, data, steps, metadata) has
          // no Ollama wire form.
          return []
      }
    },
    end: () => [],
  }
}

/**
 * The encode direction of the Ollama protocol: the exact NDJSON lines `/api/chat` streams, the
 * `stream: false` body, and the `{"error": "…"}` error body.
 *
 * @example
 * ```ts
 * import { ollamaCodec } from '@sluice/core/encoders'
 * const body = ollamaCodec.encodeResponse?.(events, { model: 'qwen3:14b' })
 * ```
 */
export const ollamaCodec: ProtocolCodec = {
  id: 'ollama',
  framing: 'ndjson',
  createEncoder: createOllamaEncoder,
  encodeResponse(events: readonly ChatEvent[], options?: EncoderOptions): unknown {
    let content = ''
    let thinking = ''
    const toolCalls: OllamaToolCall[] = []
    const inputTexts = new Map<string, { name: string; inputText: string }>()
    let usage: Usage = {}
    let end: MessageEndEvent | undefined
    for (const event of events) {
      switch (event.type) {
        case 'text-delta':
          content += event.delta
          break
        case 'reasoning-delta':
          thinking += event.delta
          break
        case 'tool-call-start':
          inputTexts.set(event.toolCallId, { name: event.toolName, inputText: '' })
          break
        case 'tool-call-delta': {
          const call = inputTexts.get(event.toolCallId)
          if (call !== undefined) call.inputText += event.delta
          break
        }
        case 'tool-call-end': {
          const call = inputTexts.get(event.toolCallId)
          const index = toolCalls.length
          const name = event.toolName ?? call?.name ?? 'tool'
          const argumentsValue = toolArguments(event.input, event.inputText ?? call?.inputText ?? '')
          toolCalls.push({
            function:
              index === 0 ? { name, arguments: argumentsValue } : { index, name, arguments: argumentsValue },
          })
          break
        }
        case 'usage':
          usage = { ...usage, ...event.usage }
          break
        case 'message-end':
          end = event
          if (event.usage !== undefined) usage = { ...usage, ...event.usage }
          if (event.content !== undefined) content = event.content
          break
        case 'message-error':
          return { error: event.error.message }
        default:
          break
      }
    }
    const message: OllamaAssistantMessage = { role: 'assistant', content }
    if (thinking !== '') message.thinking = thinking
    if (toolCalls.length > 0) message.tool_calls = toolCalls
    return {
      model: options?.model ?? ollamaDefaultModel,
      created_at: createdAt(options),
      message,
      done_reason: end === undefined ? 'stop' : doneReason(end),
      done: true,
      ...finalStatistics(usage, end?.metadata),
    }
  },
  encodeError(_status: number, message: string): unknown {
    return { error: message }
  },
}
