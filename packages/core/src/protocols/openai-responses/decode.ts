/**
 * The OpenAI Responses API (`POST /v1/responses`, `stream: true`), decode direction.
 *
 * Wire: SSE with `event: <type>` and `data: {"type": "<type>", "sequence_number": N, …}`. No
 * `[DONE]`: the stream ends after exactly one of `response.completed`, `response.incomplete`
 * or `response.failed` (PROTOCOLS.md §2).
 *
 * @example
 * ```ts
 * import { openaiResponsesProtocol } from '@sluice/core'
 * const decoder = openaiResponsesProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ event: 'response.output_text.delta', data: '{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}' })
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
  decodeErrorBody,
  type EventSink,
  type JsonFrameDecoder,
  type MessageEndFields,
  replayJsonBody,
} from '../shared/index.ts'

const protocolName = 'openai-responses'

/** The message id used when neither the options nor the wire name one. */
const fallbackMessageId = 'message'

/** Separates two reasoning summary parts of one reasoning item, as OpenAI's own UIs show them. */
const summarySeparator = '\n\n'

interface FunctionCallState {
  callId: string
  name: string
  ended: boolean
}

interface ReasoningState {
  /** Summary parts announced so far (`reasoning_summary_part.added`). */
  summaryParts: number
  /** A new summary part started after text was streamed: its first delta gets the separator. */
  separatorPending: boolean
  /** Any reasoning text was streamed for this item. */
  streamed: boolean
  ended: boolean
}

/**
 * Token usage of a Responses `response.usage` object, in Sluice's words.
 *
 * @example
 * ```ts
 * usageFromResponses({ input_tokens: 10, output_tokens: 62, total_tokens: 72 })
 * // { inputTokens: 10, outputTokens: 62, totalTokens: 72 }
 * ```
 */
export function usageFromResponses(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined
  const result: Usage = {}
  const inputTokens = numberField(usage.input_tokens)
  const outputTokens = numberField(usage.output_tokens)
  const totalTokens = numberField(usage.total_tokens)
  const reasoningTokens = isRecord(usage.output_tokens_details)
    ? numberField(usage.output_tokens_details.reasoning_tokens)
    : undefined
  const cachedInputTokens = isRecord(usage.input_tokens_details)
    ? numberField(usage.input_tokens_details.cached_tokens)
    : undefined
  if (inputTokens !== undefined) result.inputTokens = inputTokens
  if (outputTokens !== undefined) result.outputTokens = outputTokens
  if (reasoningTokens !== undefined) result.reasoningTokens = reasoningTokens
  if (cachedInputTokens !== undefined) result.cachedInputTokens = cachedInputTokens
  if (totalTokens !== undefined) result.totalTokens = totalTokens
  return result
}

/** The id of a text part: one per content part of a message item. */
function textPartId(itemId: string, contentIndex: number | undefined): string {
  return `${itemId}:${contentIndex ?? 0}`
}

/** What an OpenAI error object (nested `{error: {...}}` or flat) says, or undefined. */
function readOpenAIError(value: unknown, status?: number): MessageError | undefined {
  if (!isRecord(value)) return undefined
  const message = stringField(value.message)
  const code = stringField(value.code) ?? stringField(value.type)
  if (message === undefined && code === undefined) return undefined
  const error: MessageError = {
    message: message ?? `OpenAI reported the error "${code}" without a message.`,
  }
  if (code !== undefined) error.code = code
  if (status !== undefined) error.status = status
  return error
}

/**
 * A decoder for one Responses stream. State: the function-call `item_id` → `call_id` map (deltas
 * name the item, the tool result the client sends back names the call) and which items ended.
 */
function createOpenAIResponsesDecoder(options: DecoderOptions = {}): JsonFrameDecoder {
  const message = createMessageEmitter({ messageId: options.messageId, fallbackMessageId })
  let metadataSent = false
  let lastSequence: number | undefined
  let sawFunctionCall = false
  let sawRefusal = false
  const functionCalls = new Map<string, FunctionCallState>()
  const reasoningItems = new Map<string, ReasoningState>()
  const openTexts = new Set<string>()
  /** Text parts that were opened at some point (a finished message item repeats their text). */
  const seenTexts = new Set<string>()

  const id = (): string => message.messageId

  /** Before the first event: the `message-start` (with the provider's response id, if it is the message id). */
  function start(response: unknown): void {
    if (isRecord(response)) message.useWireId(stringField(response.id))
    message.start()
  }

  function openText(events: EventSink, partId: string, refusal: boolean): void {
    openTexts.add(partId)
    seenTexts.add(partId)
    events.push(
      refusal
        ? { type: 'text-start', messageId: id(), id: partId, refusal: true }
        : { type: 'text-start', messageId: id(), id: partId },
    )
  }

  function metadata(events: EventSink, response: unknown): void {
    if (metadataSent || !isRecord(response)) return
    metadataSent = true
    const data: Record<string, unknown> = {}
    const model = stringField(response.model)
    const responseId = stringField(response.id)
    const createdAt = numberField(response.created_at)
    if (model !== undefined) data.model = model
    if (responseId !== undefined) data.responseId = responseId
    if (createdAt !== undefined) data.createdAt = createdAt
    if (Object.keys(data).length > 0) events.push({ type: 'metadata', messageId: id(), metadata: data })
  }

  function reasoning(itemId: string): ReasoningState {
    let state = reasoningItems.get(itemId)
    if (state === undefined) {
      state = { summaryParts: 0, separatorPending: false, streamed: false, ended: false }
      reasoningItems.set(itemId, state)
    }
    return state
  }

  function startReasoning(events: EventSink, itemId: string): ReasoningState {
    const known = reasoningItems.has(itemId)
    const state = reasoning(itemId)
    if (!known) events.push({ type: 'reasoning-start', messageId: id(), id: itemId })
    return state
  }

  function reasoningDelta(events: EventSink, itemId: string, delta: string | undefined): void {
    if (delta === undefined || delta === '') return
    const state = startReasoning(events, itemId)
    const text = state.separatorPending ? summarySeparator + delta : delta
    state.separatorPending = false
    state.streamed = true
    events.push({ type: 'reasoning-delta', messageId: id(), id: itemId, delta: text })
  }

  function endFunctionCall(
    events: EventSink,
    itemId: string,
    item: Record<string, unknown>,
    args: unknown,
  ): void {
    const known = functionCalls.get(itemId)
    if (known?.ended) return
    sawFunctionCall = true
    const callId = known?.callId ?? stringField(item.call_id) ?? itemId
    const name = known?.name ?? stringField(item.name) ?? ''
    functionCalls.set(itemId, { callId, name, ended: true })
    const event: ChatEvent = { type: 'tool-call-end', messageId: id(), toolCallId: callId }
    if (name !== '') event.toolName = name
    const inputText = stringField(args)
    if (inputText !== undefined) event.inputText = inputText
    events.push(event)
  }

  function finishReasonOf(response: Record<string, unknown>): FinishReason {
    const output = Array.isArray(response.output) ? response.output : []
    if (sawFunctionCall || output.some((item) => isRecord(item) && item.type === 'function_call'))
      return 'tool-calls'
    return sawRefusal ? 'content-filter' : 'stop'
  }

  function end(response: unknown, type: string): void {
    const record = isRecord(response) ? response : {}
    const event: MessageEndFields = {}
    if (type === 'response.incomplete') {
      const reason = isRecord(record.incomplete_details)
        ? stringField(record.incomplete_details.reason)
        : undefined
      event.finishReason =
        reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content-filter' : 'other'
      event.rawFinishReason = reason ?? 'incomplete'
    } else {
      event.finishReason = finishReasonOf(record)
      event.rawFinishReason = stringField(record.status) ?? 'completed'
    }
    const usage = usageFromResponses(record.usage)
    if (usage !== undefined) event.usage = usage
    message.end(event)
  }

  function handle(data: Record<string, unknown>, type: string): void {
    start(data.response)
    const events = message
    const itemId = stringField(data.item_id) ?? ''
    switch (type) {
      case 'response.created':
      case 'response.queued':
      case 'response.in_progress':
        metadata(events, data.response)
        break
      case 'response.output_item.added': {
        const item = isRecord(data.item) ? data.item : {}
        const addedId = stringField(item.id) ?? ''
        if (item.type === 'reasoning') {
          startReasoning(events, addedId)
        } else if (item.type === 'function_call') {
          sawFunctionCall = true
          const callId = stringField(item.call_id) ?? addedId
          const name = stringField(item.name) ?? ''
          functionCalls.set(addedId, { callId, name, ended: false })
          events.push({ type: 'tool-call-start', messageId: id(), toolCallId: callId, toolName: name })
          const initial = stringField(item.arguments)
          if (initial)
            events.push({ type: 'tool-call-delta', messageId: id(), toolCallId: callId, delta: initial })
        }
        break
      }
      case 'response.content_part.added': {
        const part = isRecord(data.part) ? data.part : {}
        const partId = textPartId(itemId, numberField(data.content_index))
        if (part.type === 'output_text' || part.type === 'refusal') {
          if (part.type === 'refusal') sawRefusal = true
          openText(events, partId, part.type === 'refusal')
        } else if (part.type === 'reasoning_text') {
          // LM Studio streams raw reasoning as a content part of the reasoning item.
          startReasoning(events, itemId)
        }
        break
      }
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        const delta = stringField(data.delta)
        if (delta === undefined || delta === '') break
        const partId = textPartId(itemId, numberField(data.content_index))
        if (type === 'response.refusal.delta' && !openTexts.has(partId)) {
          sawRefusal = true
          openText(events, partId, true)
        }
        events.push({ type: 'text-delta', messageId: id(), id: partId, delta })
        break
      }
      case 'response.output_text.done':
      case 'response.refusal.done': {
        const partId = textPartId(itemId, numberField(data.content_index))
        const text = stringField(type === 'response.refusal.done' ? data.refusal : data.text)
        openTexts.delete(partId)
        const event: ChatEvent = { type: 'text-end', messageId: id(), id: partId }
        // The done event carries the whole text: authoritative, it repairs any lost delta.
        if (text !== undefined) event.text = text
        events.push(event)
        break
      }
      case 'response.content_part.done': {
        const partId = textPartId(itemId, numberField(data.content_index))
        if (!openTexts.has(partId)) break
        openTexts.delete(partId)
        const part = isRecord(data.part) ? data.part : {}
        const text = stringField(part.text) ?? stringField(part.refusal)
        const event: ChatEvent = { type: 'text-end', messageId: id(), id: partId }
        if (text !== undefined) event.text = text
        events.push(event)
        break
      }
      case 'response.output_text.annotation.added': {
        const annotation = isRecord(data.annotation) ? data.annotation : {}
        const url = stringField(annotation.url)
        if (url === undefined) break
        const event: ChatEvent = { type: 'source', messageId: id(), url }
        const title = stringField(annotation.title)
        if (title !== undefined) event.title = title
        events.push(event)
        break
      }
      case 'response.reasoning_summary_part.added': {
        const state = startReasoning(events, itemId)
        if (state.summaryParts > 0 && state.streamed) state.separatorPending = true
        state.summaryParts++
        break
      }
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        reasoningDelta(events, itemId, stringField(data.delta))
        break
      case 'response.function_call_arguments.delta': {
        const delta = stringField(data.delta)
        if (delta === undefined || delta === '') break
        const call = functionCalls.get(itemId)
        if (call?.ended) break
        events.push({ type: 'tool-call-delta', messageId: id(), toolCallId: call?.callId ?? itemId, delta })
        break
      }
      case 'response.function_call_arguments.done':
        endFunctionCall(events, itemId, data, data.arguments)
        break
      case 'response.output_item.done': {
        const item = isRecord(data.item) ? data.item : {}
        const doneId = stringField(item.id) ?? ''
        if (item.type === 'function_call') {
          endFunctionCall(events, doneId, item, item.arguments)
        } else if (item.type === 'reasoning') {
          const state = reasoning(doneId)
          if (state.ended) break
          state.ended = true
          const event: ChatEvent = { type: 'reasoning-end', messageId: id(), id: doneId }
          const signature = stringField(item.encrypted_content)
          if (signature !== undefined) event.signature = signature
          if (!state.streamed && Array.isArray(item.summary) && item.summary.length > 0) {
            // A server that sent no deltas: the finished item is the only copy of the summary.
            event.text = item.summary
              .map((summary) => (isRecord(summary) ? (stringField(summary.text) ?? '') : ''))
              .join(summarySeparator)
          }
          events.push(event)
        } else if (item.type === 'message' && Array.isArray(item.content)) {
          for (const [index, part] of item.content.entries()) {
            const partId = textPartId(doneId, index)
            if (!isRecord(part)) continue
            if (!seenTexts.has(partId)) {
              // Some OpenAI-compatible servers send a message's text only in the finished item
              // (no content_part or output_text events): it is the only copy, so it is the part.
              if (part.type !== 'output_text' && part.type !== 'refusal') continue
              if (part.type === 'refusal') sawRefusal = true
              openText(events, partId, part.type === 'refusal')
            }
            if (!openTexts.has(partId)) continue
            openTexts.delete(partId)
            const event: ChatEvent = { type: 'text-end', messageId: id(), id: partId }
            const text = stringField(part.text) ?? stringField(part.refusal)
            if (text !== undefined) event.text = text
            events.push(event)
          }
        }
        break
      }
      case 'response.completed':
      case 'response.incomplete':
        end(data.response, type)
        break
      case 'response.failed': {
        const response = isRecord(data.response) ? data.response : {}
        const error = readOpenAIError(response.error) ?? {
          message: `OpenAI reported that response ${JSON.stringify(stringField(response.id) ?? '')} failed, without an error message.`,
          code: 'response-failed',
        }
        message.fail(error)
        break
      }
      case 'error': {
        // Real streams nest the fields (`{"error": {...}}`); the SDK types put them at the top
        // level. Accept both, as openai-node does with `data.error ?? data`.
        message.fail(
          readOpenAIError(isRecord(data.error) ? data.error : data) ?? {
            message: 'OpenAI sent an error event without a message.',
          },
        )
        break
      }
      default:
        // About fifty event types exist and more come; the ones that matter are above.
        break
    }
  }

  return createJsonFrameDecoder(message, protocolName, {
    value(data, frame) {
      if (!isRecord(data)) return
      const type = stringField(data.type) ?? frame?.event ?? ''
      const sequence = numberField(data.sequence_number)
      // The same response redelivered (a retried proxy read): an already decoded number is a no-op.
      if (sequence !== undefined && lastSequence !== undefined && sequence <= lastSequence) return
      if (sequence !== undefined) lastSequence = sequence
      // Queued events of earlier frames are handed out first, so this frame's are on their own.
      const earlier = message.take()
      handle(data, type)
      const events = message.take()
      // The sequence number goes on the frame's first event only: the reducer ignores an event
      // whose sequence is at or below the last applied one, so a second event with the same
      // number would be dropped. Later events of a frame are idempotent (metadata).
      if (sequence !== undefined && events[0] !== undefined) events[0].sequence = sequence
      message.push(...earlier, ...events)
    },
    endOfSource(cutOff) {
      message.endOfSource(
        `The OpenAI Responses stream ended ${cutOff ? 'in the middle of an event, ' : ''}before response.completed, response.incomplete or response.failed. The connection was probably lost; retry the message.`,
      )
    },
  })
}

/**
 * The events of a non-streaming Responses body (`stream: false`): the `response` object.
 *
 * @example
 * ```ts
 * openaiResponsesProtocol.decodeResponse?.({ id: 'resp_1', status: 'completed', output: [] }, { messageId: 'm1' })
 * ```
 */
function decodeOpenAIResponsesBody(body: unknown, options: DecoderOptions = {}): ChatEvent[] {
  const messageId =
    options.messageId ?? (isRecord(body) ? stringField(body.id) : undefined) ?? fallbackMessageId
  if (!isRecord(body)) {
    return [
      { type: 'message-start', messageId, role: 'assistant' },
      {
        type: 'message-error',
        messageId,
        error: { code: 'invalid-response', message: 'The OpenAI Responses body is not a JSON object.' },
      },
    ]
  }
  const bodyError = readOpenAIError(body.error)
  if (bodyError !== undefined && body.object !== 'response') {
    return [
      { type: 'message-start', messageId, role: 'assistant' },
      { type: 'message-error', messageId, error: bodyError },
    ]
  }
  // Replay the body as the stream that would have produced it, so both paths share one decoder.
  const decoder = createOpenAIResponsesDecoder({ messageId })
  const frames: Record<string, unknown>[] = [{ type: 'response.created', response: body }]
  const output = Array.isArray(body.output) ? body.output : []
  for (const [outputIndex, item] of output.entries()) {
    if (!isRecord(item)) continue
    const itemId = stringField(item.id) ?? `item_${outputIndex}`
    if (item.type === 'message' && Array.isArray(item.content)) {
      frames.push({
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, content: [] },
      })
      for (const [contentIndex, part] of item.content.entries()) {
        if (!isRecord(part)) continue
        const refusal = part.type === 'refusal'
        frames.push({
          type: 'response.content_part.added',
          item_id: itemId,
          content_index: contentIndex,
          part: { type: part.type },
        })
        frames.push(
          refusal
            ? {
                type: 'response.refusal.done',
                item_id: itemId,
                content_index: contentIndex,
                refusal: part.refusal,
              }
            : {
                type: 'response.output_text.done',
                item_id: itemId,
                content_index: contentIndex,
                text: part.text,
              },
        )
        if (Array.isArray(part.annotations)) {
          for (const annotation of part.annotations) {
            frames.push({ type: 'response.output_text.annotation.added', item_id: itemId, annotation })
          }
        }
      }
    } else {
      frames.push({
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, arguments: '' },
      })
      frames.push({ type: 'response.output_item.done', output_index: outputIndex, item })
    }
  }
  const status = stringField(body.status)
  if (status === 'failed') frames.push({ type: 'response.failed', response: body })
  else if (status === 'incomplete') frames.push({ type: 'response.incomplete', response: body })
  else frames.push({ type: 'response.completed', response: body })
  return replayJsonBody(decoder, frames)
}

/**
 * The error of an OpenAI HTTP error response: `{"error": {"message", "type", "param", "code"}}`.
 *
 * @example
 * ```ts
 * openaiResponsesProtocol.decodeError?.({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, 429)
 * // { message: 'Rate limit reached', code: 'rate_limit_exceeded', status: 429 }
 * ```
 */
export function errorFromOpenAIResponse(body: unknown, status: number): MessageError | undefined {
  return decodeErrorBody(body, status, (value) =>
    isRecord(value) ? readOpenAIError(isRecord(value.error) ? value.error : value) : undefined,
  )
}

/**
 * The OpenAI Responses API protocol: SSE frames → {@link ChatEvent}s.
 *
 * `sequence_number` becomes each event's `sequence`; function calls are keyed by `call_id` (the
 * id the tool result is sent back with); the finish reason is `tool-calls` when the output holds
 * function calls, `length` for `response.incomplete` with `max_output_tokens`.
 *
 * @example
 * ```ts
 * import { collectMessage, openaiResponsesProtocol } from '@sluice/core'
 * const response = await fetch('/v1/responses', { method: 'POST', body })
 * const message = await collectMessage(response.body!, openaiResponsesProtocol)
 * ```
 */
export const openaiResponsesProtocol: Protocol = {
  id: 'openai-responses',
  framing: 'sse',
  createDecoder: createOpenAIResponsesDecoder,
  decodeResponse: decodeOpenAIResponsesBody,
  decodeError: errorFromOpenAIResponse,
}
