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
import type { DecoderOptions, Protocol, ProtocolDecoder } from '../../protocol.ts'
import { isRecord, numberField, stringField } from '../json-frame.ts'
import { createJsonValueDecoder } from '../shared/create-json-value-decoder.ts'
import { decodeErrorBody } from '../shared/decode-error-body.ts'
import { streamInterrupted } from '../shared/stream-interrupted.ts'

/** The message id used when the caller gives none (Ollama responses carry no id). */
export const ollamaDefaultMessageId = 'ollama-response'

/**
 * Ollama's `done_reason`, normalized. Ollama reports `stop` even when the model called tools, so
 * a `stop` after tool calls becomes `tool-calls` (the caller has tools to run). `load` and
 * `unload` are answers to model (un)loading requests, not generations.
 *
 * @example
 * ```ts
 * ollamaFinishReason('length', false) // 'length'
 * ollamaFinishReason('stop', true) // 'tool-calls'
 * ```
 */
export function ollamaFinishReason(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
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
 * ollamaError({ error: 'model "x" not found, try pulling it first' })
 * // → { message: 'model "x" not found, try pulling it first' }
 * ```
 */
export function ollamaError(value: unknown): MessageError | undefined {
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

/** Per-response state: which text or reasoning block is open and how many calls came. */
class OllamaDecoderState {
  readonly messageId: string
  private started = false
  private terminal = false
  private blockCount = 0
  private openBlock: { kind: 'text' | 'reasoning'; id: string } | undefined
  private toolCallCount = 0

  constructor(options: DecoderOptions | undefined) {
    this.messageId = options?.messageId ?? ollamaDefaultMessageId
  }

  get isTerminal(): boolean {
    return this.terminal
  }

  /** Decode one parsed NDJSON value. */
  value(value: unknown): ChatEvent[] {
    if (this.terminal) return []
    const events: ChatEvent[] = []
    const error = ollamaError(value)
    if (error !== undefined) return this.fail(error, value)
    // Unknown JSON values (arrays, numbers, objects without chat fields) are no-ops.
    if (!isRecord(value)) return events
    this.start(events, value)
    const message = isRecord(value.message) ? value.message : undefined
    // `/api/generate` streams the same lines with top-level `response` and `thinking` fields.
    const thinking = stringField(message?.thinking) ?? stringField(value.thinking)
    const content = stringField(message?.content) ?? stringField(value.response)
    if (thinking) this.delta(events, 'reasoning', thinking)
    if (content) this.delta(events, 'text', content)
    if (Array.isArray(message?.tool_calls)) {
      for (const call of message.tool_calls) this.toolCall(events, call)
    }
    if (value.done === true) this.done(events, value)
    return events
  }

  /** End the message with an error: a provider error line, or a line that is not JSON. */
  fail(error: MessageError, value?: unknown): ChatEvent[] {
    if (this.terminal) return []
    const events: ChatEvent[] = []
    this.start(events, value)
    this.terminal = true
    events.push({ type: 'message-error', messageId: this.messageId, error })
    return events
  }

  /** The source ended: without `done: true` (or an error line) the answer was cut short. */
  end(reason?: string): ChatEvent[] {
    if (this.terminal) return []
    const events: ChatEvent[] = []
    this.start(events, undefined)
    this.terminal = true
    events.push(
      streamInterrupted(
        this.messageId,
        `The Ollama stream for message "${this.messageId}" ended before its final "done": true line${reason ? ` (${reason})` : ''}, so the answer is incomplete. Check the connection to the Ollama server (or a proxy timeout) and retry.`,
      ),
    )
    return events
  }

  private start(events: ChatEvent[], value: unknown): void {
    if (this.started) return
    this.started = true
    const model = isRecord(value) ? stringField(value.model) : undefined
    events.push(
      model === undefined
        ? { type: 'message-start', messageId: this.messageId, role: 'assistant' }
        : { type: 'message-start', messageId: this.messageId, role: 'assistant', metadata: { model } },
    )
  }

  private delta(events: ChatEvent[], kind: 'text' | 'reasoning', delta: string): void {
    if (this.openBlock?.kind !== kind) {
      this.closeBlock(events)
      const id = `${kind}-${this.blockCount++}`
      this.openBlock = { kind, id }
      events.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', messageId: this.messageId, id })
    }
    const id = this.openBlock.id
    events.push({
      type: kind === 'text' ? 'text-delta' : 'reasoning-delta',
      messageId: this.messageId,
      id,
      delta,
    })
  }

  private closeBlock(events: ChatEvent[]): void {
    if (this.openBlock === undefined) return
    const { kind, id } = this.openBlock
    this.openBlock = undefined
    events.push({ type: kind === 'text' ? 'text-end' : 'reasoning-end', messageId: this.messageId, id })
  }

  private toolCall(events: ChatEvent[], call: unknown): void {
    if (!isRecord(call) || !isRecord(call.function)) return
    const name = stringField(call.function.name)
    if (name === undefined) return
    // A tool call ends the text before it: text after the call is a new part, in order.
    this.closeBlock(events)
    // Ollama sends no call id before v0.12; a counter keeps ids deterministic across replays.
    const toolCallId = stringField(call.id) || `call_${this.toolCallCount}`
    this.toolCallCount++
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
    const inputText = typeof rawArguments === 'string' ? rawArguments : JSON.stringify(input)
    events.push(
      { type: 'tool-call-start', messageId: this.messageId, toolCallId, toolName: name },
      { type: 'tool-call-end', messageId: this.messageId, toolCallId, toolName: name, input, inputText },
    )
  }

  private done(events: ChatEvent[], value: Record<string, unknown>): void {
    this.closeBlock(events)
    this.terminal = true
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
    events.push({
      type: 'message-end',
      messageId: this.messageId,
      finishReason: ollamaFinishReason(rawFinishReason, this.toolCallCount > 0),
      ...(rawFinishReason === undefined ? {} : { rawFinishReason }),
      ...(Object.keys(usage).length > 0 ? { usage } : {}),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    })
  }
}

function createOllamaDecoder(options?: DecoderOptions): ProtocolDecoder {
  return createJsonValueDecoder(new OllamaDecoderState(options), 'Ollama')
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
    const state = new OllamaDecoderState(options)
    const events = state.value(body)
    // A whole `stream: false` body is complete even if a proxy dropped `done`.
    if (!state.isTerminal) {
      events.push(...state.value({ done: true }))
    }
    return events
  },
  decodeError: (body: unknown, status: number): MessageError | undefined =>
    decodeErrorBody(body, status, ollamaError),
}
