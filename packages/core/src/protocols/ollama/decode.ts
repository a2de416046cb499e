/**
 * Ollama `/api/chat` (NDJSON) → {@link ChatEvent}s.
 *
 * Every line is one JSON object: `{model, created_at, message: {role, content, thinking?,
 * tool_calls?}, done}`. `content` and `thinking` are incremental text; tool calls arrive whole,
 * with `arguments` as an object. The last line has `done: true`, `done_reason` and the run's
 * statistics. A `{"error": "…"}` line ends the stream with an error (the HTTP status stays 200).
 *
 * @example
 * ```ts
 * import { ollamaProtocol } from '@sluice/core'
 * const decoder = ollamaProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"model":"qwen3","message":{"role":"assistant","content":"Hi"},"done":false}' })
 * // → message-start, text-start, text-delta 'Hi'
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { FinishReason, MessageError, Usage } from '../../message.ts'
import type { DecoderOptions, Protocol } from '../../protocol.ts'
import { isRecord, numberField, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  createTextBlocks,
  decodeErrorBody,
  type JsonFrameDecoder,
  replayJsonBody,
  stringifyWireValue,
} from '../shared/index.ts'

/** The message id used when the caller gives none (Ollama responses carry no id). */
export const ollamaDefaultMessageId = 'ollama-response'

/**
 * Ollama's `done_reason`, normalized. Ollama reports `stop` even when the model called tools, so
 * a `stop` after tool calls becomes `tool-calls` (the caller has tools to run). `load` and
 * `unload` are answers to model (un)loading requests, not generations.
 *
 * @example
 * ```ts
 * finishReasonFromOllama('length', false) // 'length'
 * finishReasonFromOllama('stop', true) // 'tool-calls'
 * ```
 */
export function finishReasonFromOllama(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  // Older Ollama versions send `done: true` without `done_reason`; that is a normal stop.
  if (doneReason === undefined || doneReason === 'stop') return hasToolCalls ? 'tool-calls' : 'stop'
  if (doneReason === 'length') return 'length'
  return 'other'
}

/**
 * The provider's error from an Ollama error value: `{"error": "…"}` (documented), or the
 * `{"error": {"message": …}}` shape some Ollama-compatible proxies send.
 *
 * @example
 * ```ts
 * errorFromOllama({ error: 'model "x" not found, try pulling it first' })
 * // → { message: 'model "x" not found, try pulling it first' }
 * ```
 */
export function errorFromOllama(value: unknown): MessageError | undefined {
  if (!isRecord(value) || !('error' in value)) return undefined
  const error = value.error
  if (typeof error === 'string') return { message: error }
  if (isRecord(error)) {
    const message = stringField(error.message)
    if (message === undefined) return undefined
    const code = stringField(error.code) ?? stringField(error.type)
    return code === undefined ? { message } : { message, code }
  }
  return undefined
}

/** The mapping of one response: Ollama lines → the message, its blocks and its tool calls. */
function createOllamaDecoder(options?: DecoderOptions): JsonFrameDecoder {
  const message = createMessageEmitter({
    messageId: options?.messageId,
    fallbackMessageId: ollamaDefaultMessageId,
  })
  const blocks = createTextBlocks(message.messageId, { numbering: 'shared' })
  let toolCallCount = 0

  function start(value: unknown): void {
    const model = isRecord(value) ? stringField(value.model) : undefined
    message.start(model === undefined ? undefined : { model })
  }

  function toolCall(call: unknown): void {
    if (!isRecord(call) || !isRecord(call.function)) return
    const name = stringField(call.function.name)
    if (name === undefined) return
    // A tool call ends the text before it: text after the call is a new part, in order.
    blocks.close(message)
    // Ollama sends no call id before v0.12; a counter keeps ids deterministic across replays.
    const toolCallId = stringField(call.id) || `call_${toolCallCount}`
    toolCallCount++
    const rawArguments = call.function.arguments
    let input: unknown = rawArguments ?? {}
    // Ollama sends an object; some compatible servers send the OpenAI-style JSON string.
    if (typeof rawArguments === 'string') {
      try {
        input = JSON.parse(rawArguments) as unknown
      } catch {
        input = rawArguments
      }
    }
    const inputText =
      typeof rawArguments === 'string'
        ? rawArguments
        : stringifyWireValue(input, 'Ollama', `the arguments of tool call "${toolCallId}"`)
    message.push(
      { type: 'tool-call-start', messageId: message.messageId, toolCallId, toolName: name },
      { type: 'tool-call-end', messageId: message.messageId, toolCallId, toolName: name, input, inputText },
    )
  }

  function done(value: Record<string, unknown>): void {
    blocks.close(message)
    const rawFinishReason = stringField(value.done_reason)
    const usage: Usage = {}
    const inputTokens = numberField(value.prompt_eval_count)
    const outputTokens = numberField(value.eval_count)
    if (inputTokens !== undefined) usage.inputTokens = inputTokens
    if (outputTokens !== undefined) usage.outputTokens = outputTokens
    if (inputTokens !== undefined && outputTokens !== undefined)
      usage.totalTokens = inputTokens + outputTokens
    // Durations are nanoseconds, as Ollama reports them.
    const metadata: Record<string, unknown> = {}
    const durations = [
      ['totalDuration', value.total_duration],
      ['loadDuration', value.load_duration],
      ['promptEvalDuration', value.prompt_eval_duration],
      ['evalDuration', value.eval_duration],
    ] as const
    for (const [key, raw] of durations) {
      const duration = numberField(raw)
      if (duration !== undefined) metadata[key] = duration
    }
    message.end({
      finishReason: finishReasonFromOllama(rawFinishReason, toolCallCount > 0),
      ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
      ...(Object.keys(usage).length > 0 ? { usage } : {}),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    })
  }

  return createJsonFrameDecoder(message, 'Ollama', {
    value(value) {
      const error = errorFromOllama(value)
      if (error !== undefined) {
        start(value)
        message.fail(error)
        return
      }
      // Unknown JSON values (arrays, numbers, objects without chat fields) are no-ops.
      if (!isRecord(value)) return
      start(value)
      const line = isRecord(value.message) ? value.message : undefined
      // `/api/generate` streams the same lines with top-level `response` and `thinking` fields.
      const thinking = stringField(line?.thinking) ?? stringField(value.thinking)
      const content = stringField(line?.content) ?? stringField(value.response)
      if (thinking) blocks.append(message, 'reasoning', thinking)
      if (content) blocks.append(message, 'text', content)
      if (Array.isArray(line?.tool_calls)) for (const call of line.tool_calls) toolCall(call)
      if (value.done === true) done(value)
    },
    endOfSource(cutOff) {
      message.interrupt(
        `The Ollama stream for message "${message.messageId}" ended before its final "done": true line${cutOff ? ' (its last frame was cut off)' : ''}, so the answer is incomplete. Check the connection to the Ollama server (or a proxy timeout) and retry.`,
      )
    },
    // A whole `stream: false` body is complete even if a proxy dropped `done`.
    endOfBody: () => done({}),
  })
}

/**
 * The Ollama `/api/chat` protocol: NDJSON lines with incremental `message.content` and
 * `message.thinking`, whole tool calls (ids `call_0`, `call_1`, … when Ollama sends none), and a
 * final `done: true` line with `done_reason` and token counts. Durations from the final line are
 * kept in the message metadata (`totalDuration`, `loadDuration`, `promptEvalDuration`,
 * `evalDuration`, in nanoseconds).
 *
 * @example
 * ```ts
 * import { collectMessage, ollamaProtocol } from '@sluice/core'
 * const response = await fetch('http://localhost:11434/api/chat', { method: 'POST', body })
 * const message = await collectMessage(response.body!, ollamaProtocol)
 * ```
 */
export const ollamaProtocol: Protocol = {
  id: 'ollama',
  framing: 'ndjson',
  createDecoder: createOllamaDecoder,
  decodeResponse(body: unknown, options?: DecoderOptions): ChatEvent[] {
    return replayJsonBody(createOllamaDecoder(options), [body])
  },
  decodeError: (body: unknown, status: number): MessageError | undefined =>
    decodeErrorBody(body, status, errorFromOllama),
}
