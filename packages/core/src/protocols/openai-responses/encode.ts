/**
 * The OpenAI Responses API, encode direction: {@link ChatEvent}s → the SSE events the real
 * server sends (for mocks). Field for field as recorded (test/fixtures/openai-responses):
 * `event:` equal to the JSON `type`, `sequence_number` from 0, `msg_…` / `rs_…` / `fc_…` item
 * ids, `output_index`, `content_index`, the full `response` object on the lifecycle events.
 *
 * @example
 * ```ts
 * import { openaiResponsesCodec } from '@sluice/core/encoders'
 * const encoder = openaiResponsesCodec.createEncoder({ model: 'gpt-4o', responseId: 'resp_1' })
 * encoder.encode({ type: 'message-start', messageId: 'm1' }) // response.created, response.in_progress
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { FinishReason, Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'

const defaultModel = 'gpt-4o-2024-08-06'
const defaultResponseId = 'resp_sluice'

type Json = Record<string, unknown>

/** The `usage` object of a finished response. Every counter is present, as on the wire. */
function wireUsage(usage: Usage | undefined): Json {
  const inputTokens = usage?.inputTokens ?? 0
  const outputTokens = usage?.outputTokens ?? 0
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: usage?.cachedInputTokens ?? 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
    total_tokens: usage?.totalTokens ?? inputTokens + outputTokens,
  }
}

/**
 * A `response` object as the server sends it, in the field order of a 2025 recording
 * (`multistep-reasoning-summary-function-calls-gpt51codexmax.chunks.txt`).
 */
function wireResponse(
  options: { id: string; model: string; created: number },
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed',
  output: readonly Json[],
  extra: { error?: Json; incompleteReason?: string; usage?: Json } = {},
): Json {
  return {
    id: options.id,
    object: 'response',
    created_at: options.created,
    status,
    background: false,
    error: extra.error ?? null,
    incomplete_details: extra.incompleteReason === undefined ? null : { reason: extra.incompleteReason },
    instructions: null,
    max_output_tokens: null,
    max_tool_calls: null,
    model: options.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: null,
    prompt_cache_retention: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: 'default',
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_logprobs: 0,
    top_p: 1,
    truncation: 'disabled',
    usage: extra.usage ?? null,
    user: null,
    metadata: {},
  }
}

/** What the server sends for `response.incomplete`, by finish reason. */
const incompleteReasons: Partial<Record<FinishReason, string>> = {
  length: 'max_output_tokens',
  'content-filter': 'content_filter',
}

interface OpenText {
  itemId: string
  outputIndex: number
  refusal: boolean
  text: string
}

interface OpenReasoning {
  itemId: string
  outputIndex: number
  text: string
  summaryStarted: boolean
}

interface OpenCall {
  itemId: string
  outputIndex: number
  callId: string
  name: string
  arguments: string
}

/**
 * Ids derived from the response id and a counter, so the same scenario gives the same bytes:
 * `resp_x` → `msg_x_0`, `rs_x_1`, `fc_x_2`.
 */
function itemIdFactory(responseId: string): (prefix: 'msg' | 'rs' | 'fc') => string {
  const base = responseId.startsWith('resp_') ? responseId.slice('resp_'.length) : responseId
  let counter = 0
  return (prefix) => `${prefix}_${base}${String(counter++).padStart(4, '0')}`
}

function createOpenAIResponsesEncoder(options: EncoderOptions = {}): ProtocolEncoder {
  const response = {
    id: options.responseId ?? defaultResponseId,
    model: options.model ?? defaultModel,
    created: options.created ?? 0,
  }
  const nextItemId = itemIdFactory(response.id)
  let sequence = 0
  let started = false
  let finished = false
  let usage: Usage | undefined
  const output: Json[] = []
  const texts = new Map<string, OpenText>()
  const reasonings = new Map<string, OpenReasoning>()
  const calls = new Map<string, OpenCall>()

  function frame(type: string, fields: Json): Frame {
    return { event: type, data: JSON.stringify({ type, sequence_number: sequence++, ...fields }) }
  }

  function ensureStarted(frames: Frame[]): void {
    if (started) return
    started = true
    frames.push(frame('response.created', { response: wireResponse(response, 'in_progress', []) }))
    frames.push(frame('response.in_progress', { response: wireResponse(response, 'in_progress', []) }))
  }

  function startText(frames: Frame[], id: string, refusal: boolean): OpenText {
    const existing = texts.get(id)
    if (existing !== undefined) return existing
    const text: OpenText = { itemId: nextItemId('msg'), outputIndex: output.length, refusal, text: '' }
    // Reserve the output slot now; the finished item replaces it at output_item.done.
    output.push({})
    texts.set(id, text)
    frames.push(
      frame('response.output_item.added', {
        output_index: text.outputIndex,
        item: { id: text.itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
      }),
    )
    frames.push(
      frame('response.content_part.added', {
        item_id: text.itemId,
        output_index: text.outputIndex,
        content_index: 0,
        part: emptyContentPart(refusal),
      }),
    )
    return text
  }

  function contentPart(text: OpenText): Json {
    return text.refusal
      ? { type: 'refusal', refusal: text.text }
      : { type: 'output_text', annotations: [], logprobs: [], text: text.text }
  }

  function emptyContentPart(refusal: boolean): Json {
    return refusal
      ? { type: 'refusal', refusal: '' }
      : { type: 'output_text', annotations: [], logprobs: [], text: '' }
  }

  function endText(frames: Frame[], id: string, finalText: string | undefined): void {
    const text = texts.get(id) ?? startText(frames, id, false)
    texts.delete(id)
    if (finalText !== undefined && finalText !== text.text) {
      // The authoritative text: stream what was not streamed yet, when it extends the stream.
      if (finalText.startsWith(text.text)) {
        frames.push(textDelta(text, finalText.slice(text.text.length)))
      }
      text.text = finalText
    }
    const ids = { item_id: text.itemId, output_index: text.outputIndex, content_index: 0 }
    frames.push(
      text.refusal
        ? frame('response.refusal.done', { ...ids, refusal: text.text })
        : frame('response.output_text.done', { ...ids, text: text.text, logprobs: [] }),
    )
    frames.push(frame('response.content_part.done', { ...ids, part: contentPart(text) }))
    const item = {
      id: text.itemId,
      type: 'message',
      status: 'completed',
      content: [contentPart(text)],
      role: 'assistant',
    }
    output[text.outputIndex] = item
    frames.push(frame('response.output_item.done', { output_index: text.outputIndex, item }))
  }

  function textDelta(text: OpenText, delta: string): Frame {
    const ids = { item_id: text.itemId, output_index: text.outputIndex, content_index: 0 }
    return text.refusal
      ? frame('response.refusal.delta', { ...ids, delta })
      : frame('response.output_text.delta', { ...ids, delta, logprobs: [] })
  }

  function startReasoning(frames: Frame[], id: string): OpenReasoning {
    const existing = reasonings.get(id)
    if (existing !== undefined) return existing
    const reasoning: OpenReasoning = {
      itemId: nextItemId('rs'),
      outputIndex: output.length,
      text: '',
      summaryStarted: false,
    }
    output.push({})
    reasonings.set(id, reasoning)
    frames.push(
      frame('response.output_item.added', {
        output_index: reasoning.outputIndex,
        item: { id: reasoning.itemId, type: 'reasoning', summary: [] },
      }),
    )
    return reasoning
  }

  function summaryIds(reasoning: OpenReasoning): Json {
    return { item_id: reasoning.itemId, output_index: reasoning.outputIndex, summary_index: 0 }
  }

  function reasoningDelta(frames: Frame[], reasoning: OpenReasoning, delta: string): void {
    if (delta === '') return
    if (!reasoning.summaryStarted) {
      reasoning.summaryStarted = true
      frames.push(
        frame('response.reasoning_summary_part.added', {
          ...summaryIds(reasoning),
          part: { type: 'summary_text', text: '' },
        }),
      )
    }
    reasoning.text += delta
    frames.push(frame('response.reasoning_summary_text.delta', { ...summaryIds(reasoning), delta }))
  }

  function endReasoning(
    frames: Frame[],
    id: string,
    signature: string | undefined,
    finalText: string | undefined,
  ): void {
    const reasoning = reasonings.get(id) ?? startReasoning(frames, id)
    reasonings.delete(id)
    if (finalText?.startsWith(reasoning.text)) {
      reasoningDelta(frames, reasoning, finalText.slice(reasoning.text.length))
    }
    const summary = reasoning.summaryStarted ? [{ type: 'summary_text', text: reasoning.text }] : []
    if (reasoning.summaryStarted) {
      frames.push(
        frame('response.reasoning_summary_text.done', { ...summaryIds(reasoning), text: reasoning.text }),
      )
      frames.push(
        frame('response.reasoning_summary_part.done', {
          ...summaryIds(reasoning),
          part: { type: 'summary_text', text: reasoning.text },
        }),
      )
    }
    const item: Json = { id: reasoning.itemId, type: 'reasoning', summary }
    // The signature of a Responses reasoning item is its encrypted content (`include: ["reasoning.encrypted_content"]`).
    if (signature !== undefined) item.encrypted_content = signature
    output[reasoning.outputIndex] = item
    frames.push(frame('response.output_item.done', { output_index: reasoning.outputIndex, item }))
  }

  function startCall(frames: Frame[], toolCallId: string, name: string): OpenCall {
    const existing = calls.get(toolCallId)
    if (existing !== undefined) return existing
    const call: OpenCall = {
      itemId: nextItemId('fc'),
      outputIndex: output.length,
      callId: toolCallId,
      name,
      arguments: '',
    }
    output.push({})
    calls.set(toolCallId, call)
    frames.push(
      frame('response.output_item.added', {
        output_index: call.outputIndex,
        item: {
          id: call.itemId,
          type: 'function_call',
          status: 'in_progress',
          arguments: '',
          call_id: call.callId,
          name,
        },
      }),
    )
    return call
  }

  function endCall(frames: Frame[], event: ChatEvent & { type: 'tool-call-end' }): void {
    const call = calls.get(event.toolCallId) ?? startCall(frames, event.toolCallId, event.toolName ?? '')
    calls.delete(event.toolCallId)
    const complete =
      event.inputText ??
      (event.input !== undefined && call.arguments === '' ? JSON.stringify(event.input) : call.arguments)
    if (complete !== call.arguments && complete.startsWith(call.arguments)) {
      frames.push(argumentsDelta(call, complete.slice(call.arguments.length)))
    }
    call.arguments = complete
    frames.push(
      frame('response.function_call_arguments.done', {
        item_id: call.itemId,
        output_index: call.outputIndex,
        arguments: call.arguments,
      }),
    )
    const item = {
      id: call.itemId,
      type: 'function_call',
      status: 'completed',
      arguments: call.arguments,
      call_id: call.callId,
      name: call.name,
    }
    output[call.outputIndex] = item
    frames.push(frame('response.output_item.done', { output_index: call.outputIndex, item }))
  }

  function argumentsDelta(call: OpenCall, delta: string): Frame {
    call.arguments += delta
    return frame('response.function_call_arguments.delta', {
      item_id: call.itemId,
      output_index: call.outputIndex,
      delta,
    })
  }

  /** Items still open when the response ends are finished first, as the server always does. */
  function closeOpenItems(frames: Frame[]): void {
    for (const id of [...texts.keys()]) endText(frames, id, undefined)
    for (const id of [...reasonings.keys()]) endReasoning(frames, id, undefined, undefined)
    for (const [toolCallId] of [...calls])
      endCall(frames, { type: 'tool-call-end', messageId: '', toolCallId })
  }

  return {
    encode(event: ChatEvent): Frame[] {
      if (finished) return []
      const frames: Frame[] = []
      switch (event.type) {
        case 'message-start':
          ensureStarted(frames)
          break
        case 'text-start':
          ensureStarted(frames)
          startText(frames, event.id, event.refusal === true)
          break
        case 'text-delta': {
          if (event.delta === '') break
          ensureStarted(frames)
          const text = startText(frames, event.id, false)
          text.text += event.delta
          frames.push(textDelta(text, event.delta))
          break
        }
        case 'text-end':
          ensureStarted(frames)
          endText(frames, event.id, event.text)
          break
        case 'reasoning-start':
          ensureStarted(frames)
          startReasoning(frames, event.id)
          break
        case 'reasoning-delta':
          ensureStarted(frames)
          reasoningDelta(frames, startReasoning(frames, event.id), event.delta)
          break
        case 'reasoning-end':
          ensureStarted(frames)
          endReasoning(frames, event.id, event.signature, event.text)
          break
        case 'tool-call-start':
          ensureStarted(frames)
          startCall(frames, event.toolCallId, event.toolName)
          break
        case 'tool-call-delta': {
          if (event.delta === '') break
          ensureStarted(frames)
          frames.push(argumentsDelta(startCall(frames, event.toolCallId, ''), event.delta))
          break
        }
        case 'tool-call-end':
          ensureStarted(frames)
          endCall(frames, event)
          break
        case 'usage':
          usage = { ...usage, ...event.usage }
          break
        case 'message-end': {
          ensureStarted(frames)
          closeOpenItems(frames)
          finished = true
          if (event.usage !== undefined) usage = { ...usage, ...event.usage }
          const reason = event.finishReason === undefined ? undefined : incompleteReasons[event.finishReason]
          const extra: { incompleteReason?: string; usage: Json } = { usage: wireUsage(usage) }
          if (reason !== undefined) extra.incompleteReason = reason
          const type = reason === undefined ? 'response.completed' : 'response.incomplete'
          const status = reason === undefined ? 'completed' : 'incomplete'
          frames.push(frame(type, { response: wireResponse(response, status, output, extra) }))
          break
        }
        case 'message-error': {
          ensureStarted(frames)
          finished = true
          const code = event.error.code ?? 'server_error'
          // Real streams nest the error (both recordings), although the SDK types put it at the top level.
          frames.push(
            frame('error', { error: { type: code, code, message: event.error.message, param: null } }),
          )
          frames.push(
            frame('response.failed', {
              response: wireResponse(response, 'failed', [], {
                error: { code, message: event.error.message },
              }),
            }),
          )
          break
        }
        case 'message-abort':
        case 'message-interrupt':
          // The connection just ends: no terminal event, which is what a client must detect.
          finished = true
          break
        default:
          // Tool results, steps, sources, files, data and metadata never travel in a Responses
          // stream: the client runs function tools and sends their results in the next request.
          break
      }
      return frames
    },
    end(): Frame[] {
      // No [DONE]: the terminal response event is the end.
      return []
    },
  }
}

/**
 * The non-streaming body for the same events (`stream: false`): the finished `response` object.
 *
 * @example
 * ```ts
 * openaiResponsesCodec.encodeResponse?.([{ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' }], { model: 'gpt-4o' })
 * ```
 */
function encodeOpenAIResponsesBody(events: readonly ChatEvent[], options: EncoderOptions = {}): unknown {
  const encoder = createOpenAIResponsesEncoder(options)
  const terminalTypes = new Set(['response.completed', 'response.incomplete', 'response.failed'])
  let response: unknown
  const read = (frames: Frame[]): void => {
    for (const frame of frames) {
      const data = JSON.parse(frame.data) as Json
      if (terminalTypes.has(String(data.type))) response = data.response
    }
  }
  for (const event of events) read(encoder.encode(event))
  // Events without a terminal event still describe a finished body.
  if (response === undefined) read(encoder.encode({ type: 'message-end', messageId: '' }))
  return response
}

/** OpenAI's error `type` for an HTTP status (what the API sends). */
function errorTypeForStatus(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' }
  if (status === 403) return { type: 'invalid_request_error', code: 'unsupported_country_region_territory' }
  if (status === 404) return { type: 'invalid_request_error', code: 'model_not_found' }
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' }
  if (status >= 500) return { type: 'server_error', code: null }
  return { type: 'invalid_request_error', code: null }
}

/**
 * OpenAI's HTTP error body: `{"error": {"message", "type", "param", "code"}}`.
 *
 * @example
 * ```ts
 * openaiResponsesCodec.encodeError?.(429, 'Rate limit reached for gpt-4o')
 * // { error: { message: 'Rate limit reached for gpt-4o', type: 'requests', param: null, code: 'rate_limit_exceeded' } }
 * ```
 */
export function encodeOpenAIError(status: number, message: string, options: { code?: string } = {}): unknown {
  const known = errorTypeForStatus(status)
  return { error: { message, type: known.type, param: null, code: options.code ?? known.code } }
}

/**
 * The OpenAI Responses API, encode direction: events → the SSE events `/v1/responses` sends.
 *
 * @example
 * ```ts
 * import { openaiResponsesCodec } from '@sluice/core/encoders'
 * import { serializeFrames } from '@sluice/core'
 * const encoder = openaiResponsesCodec.createEncoder({ model: 'gpt-4o', responseId: 'resp_1' })
 * const body = serializeFrames(events.flatMap((event) => encoder.encode(event)), 'sse')
 * ```
 */
export const openaiResponsesCodec: ProtocolCodec = {
  id: 'openai-responses',
  framing: 'sse',
  createEncoder: createOpenAIResponsesEncoder,
  encodeResponse: encodeOpenAIResponsesBody,
  encodeError: encodeOpenAIError,
}
