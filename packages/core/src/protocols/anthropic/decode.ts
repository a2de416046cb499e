/**
 * Anthropic Messages (`POST /v1/messages`, `"stream": true`), decode direction.
 *
 * Wire: SSE with `event: <name>` and `data: {"type": "<name>", …}`: `message_start`, per content
 * block `content_block_start` / `_delta` / `_stop` (keyed by `index`), `message_delta` (stop
 * reason, cumulative usage), `message_stop`. No `[DONE]`: `message_stop` ends the stream, and a
 * mid-stream `error` event ends it without one (PROTOCOLS.md §3).
 *
 * @example
 * ```ts
 * import { anthropicProtocol } from '@sluice/core'
 * const decoder = anthropicProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}' })
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
  stringifyWireValue,
} from '../shared/index.ts'

const protocolName = 'anthropic'

/** The message id used when neither the options nor the wire name one. */
const fallbackMessageId = 'message'

/**
 * Anthropic `stop_reason` → Sluice finish reason. Unknown values (new ones appear, e.g.
 * `model_context_window_exceeded`) are `other`, except the context window, which is a length limit.
 *
 * @example
 * ```ts
 * finishReasonFromAnthropic('tool_use') // 'tool-calls'
 * ```
 */
export function finishReasonFromAnthropic(stopReason: string | undefined): FinishReason | undefined {
  switch (stopReason) {
    case undefined:
      return undefined
    case 'end_turn':
    case 'stop_sequence':
      return 'stop'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool-calls'
    case 'refusal':
      return 'content-filter'
    default:
      // pause_turn (a server tool paused the turn) and anything newer.
      return 'other'
  }
}

/** Input token counts as Anthropic reports them: uncached input and the two cache counters. */
interface InputCounts {
  input?: number
  cacheCreation?: number
  cacheRead?: number
}

function readInputCounts(usage: Record<string, unknown>, into: InputCounts): void {
  const input = numberField(usage.input_tokens)
  const cacheCreation = numberField(usage.cache_creation_input_tokens)
  const cacheRead = numberField(usage.cache_read_input_tokens)
  if (input !== undefined) into.input = input
  if (cacheCreation !== undefined) into.cacheCreation = cacheCreation
  if (cacheRead !== undefined) into.cacheRead = cacheRead
}

/**
 * Anthropic's `input_tokens` excludes cached input; Sluice's `inputTokens` is everything the
 * model read (uncached + cache writes + cache reads), and `cachedInputTokens` the cache reads.
 */
function toUsage(counts: InputCounts, outputTokens: number | undefined): Usage | undefined {
  const usage: Usage = {}
  if (counts.input !== undefined || counts.cacheCreation !== undefined || counts.cacheRead !== undefined) {
    usage.inputTokens = (counts.input ?? 0) + (counts.cacheCreation ?? 0) + (counts.cacheRead ?? 0)
  }
  if (counts.cacheRead !== undefined) usage.cachedInputTokens = counts.cacheRead
  if (outputTokens !== undefined) usage.outputTokens = outputTokens
  if (usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
    usage.totalTokens = usage.inputTokens + usage.outputTokens
  }
  return Object.keys(usage).length === 0 ? undefined : usage
}

/** What an Anthropic error object `{type, message}` says. */
function readAnthropicError(value: unknown, status?: number): MessageError | undefined {
  if (!isRecord(value)) return undefined
  const message = stringField(value.message)
  const code = stringField(value.type)
  if (message === undefined && code === undefined) return undefined
  const error: MessageError = {
    message: message ?? `Anthropic reported the error "${code}" without a message.`,
  }
  if (code !== undefined) error.code = code
  if (status !== undefined) error.status = status
  return error
}

type Block =
  | { kind: 'text'; id: string; open: boolean }
  | { kind: 'reasoning'; id: string; open: boolean; signature?: string }
  | { kind: 'tool'; id: string; open: boolean; hasInput: boolean; name: string }
  | { kind: 'other'; id: string; open: boolean }

/**
 * A decoder for one Messages stream. State: what each content block `index` is (deltas name only
 * the index), the thinking signature until its block stops, and the usage counters.
 */
function createAnthropicDecoder(options: DecoderOptions = {}): JsonFrameDecoder {
  const message = createMessageEmitter({ messageId: options.messageId, fallbackMessageId })
  let stopReason: string | undefined
  let outputTokens: number | undefined
  const inputCounts: InputCounts = {}
  const blocks = new Map<number, Block>()
  /** Server tool names by id, so a later `*_tool_result` block can name its tool. */
  const serverToolNames = new Map<string, string>()

  const id = (): string => message.messageId

  function start(wireMessage: unknown): void {
    if (isRecord(wireMessage)) message.useWireId(stringField(wireMessage.id))
    message.start()
  }

  /** What `message-end` says: the stop reason and the usage so far. */
  function endFields(): MessageEndFields {
    const fields: MessageEndFields = {}
    const finishReason = finishReasonFromAnthropic(stopReason)
    if (finishReason !== undefined) fields.finishReason = finishReason
    if (stopReason !== undefined) fields.rawFinishReason = stopReason
    const usage = toUsage(inputCounts, outputTokens)
    if (usage !== undefined) fields.usage = usage
    return fields
  }

  /**
   * Text and thinking blocks still open are complete as far as the model is concerned. A tool
   * block cut off by max_tokens stays open: the reducer turns its partial input into
   * `output-error` at message-end instead of guessing at the JSON.
   */
  function closeContentBlocks(): void {
    for (const block of blocks.values()) if (block.kind !== 'tool') closeBlock(message, block)
  }

  function closeBlock(events: EventSink, block: Block): void {
    if (!block.open) return
    block.open = false
    switch (block.kind) {
      case 'text':
        events.push({ type: 'text-end', messageId: id(), id: block.id })
        break
      case 'reasoning': {
        const event: ChatEvent = { type: 'reasoning-end', messageId: id(), id: block.id }
        if (block.signature !== undefined) event.signature = block.signature
        events.push(event)
        break
      }
      case 'tool': {
        const event: ChatEvent = { type: 'tool-call-end', messageId: id(), toolCallId: block.id }
        // A tool without arguments streams only `""`: its input is `{}` (vercel anthropic-tool-no-args).
        if (!block.hasInput) {
          event.input = {}
          event.inputText = '{}'
        }
        events.push(event)
        break
      }
      case 'other':
        break
    }
  }

  function startBlock(events: EventSink, index: number, contentBlock: Record<string, unknown>): void {
    const type = stringField(contentBlock.type) ?? ''
    switch (type) {
      case 'text': {
        const block: Block = { kind: 'text', id: `text-${index}`, open: true }
        blocks.set(index, block)
        events.push({ type: 'text-start', messageId: id(), id: block.id })
        const text = stringField(contentBlock.text)
        if (text) events.push({ type: 'text-delta', messageId: id(), id: block.id, delta: text })
        return
      }
      case 'thinking':
      case 'redacted_thinking': {
        const block: Block = { kind: 'reasoning', id: `reasoning-${index}`, open: true }
        // Redacted thinking carries only encrypted `data`; it is kept as the signature so the
        // block survives a round trip, and shows as an empty reasoning part.
        const signature = stringField(type === 'thinking' ? contentBlock.signature : contentBlock.data)
        if (signature) block.signature = signature
        blocks.set(index, block)
        events.push({ type: 'reasoning-start', messageId: id(), id: block.id })
        const text = stringField(contentBlock.thinking)
        if (text) events.push({ type: 'reasoning-delta', messageId: id(), id: block.id, delta: text })
        return
      }
      case 'tool_use':
      case 'server_tool_use':
      case 'mcp_tool_use': {
        const toolCallId = stringField(contentBlock.id) ?? `tool-${index}`
        const name = stringField(contentBlock.name) ?? ''
        const block: Block = { kind: 'tool', id: toolCallId, open: true, hasInput: false, name }
        blocks.set(index, block)
        const event: ChatEvent = { type: 'tool-call-start', messageId: id(), toolCallId, toolName: name }
        if (type !== 'tool_use') {
          event.providerExecuted = true
          serverToolNames.set(toolCallId, name)
        }
        events.push(event)
        // The start block carries `input: {}`; only a non-empty one (non-streamed input) counts.
        if (isRecord(contentBlock.input) && Object.keys(contentBlock.input).length > 0) {
          block.hasInput = true
          events.push({
            type: 'tool-call-delta',
            messageId: id(),
            toolCallId,
            delta: stringifyWireValue(
              contentBlock.input,
              protocolName,
              `the input of tool call "${toolCallId}"`,
            ),
          })
        }
        return
      }
      default: {
        blocks.set(index, { kind: 'other', id: `block-${index}`, open: false })
        // Server tool results (`web_search_tool_result`, `tool_search_tool_result`,
        // `mcp_tool_result`, …) arrive whole in the start block, with no deltas.
        const toolUseId = stringField(contentBlock.tool_use_id)
        if (toolUseId === undefined || !type.endsWith('_tool_result')) return
        const content = contentBlock.content
        const errorCode =
          isRecord(content) && stringField(content.type)?.endsWith('_error')
            ? stringField(content.error_code)
            : undefined
        // A result for a call of an earlier response (the agent loop sends it back) has no call in
        // this message: start one, so the part still says the provider ran it.
        if (!serverToolNames.has(toolUseId)) {
          events.push({
            type: 'tool-call-start',
            messageId: id(),
            toolCallId: toolUseId,
            toolName: type.slice(0, -'_tool_result'.length),
            providerExecuted: true,
          })
          serverToolNames.set(toolUseId, type.slice(0, -'_tool_result'.length))
        }
        if (errorCode !== undefined || contentBlock.is_error === true) {
          events.push({
            type: 'tool-error',
            messageId: id(),
            toolCallId: toolUseId,
            errorText: `The ${type} for tool call "${toolUseId}" reported an error: ${errorCode ?? stringifyWireValue(content, protocolName, `the content of ${type} "${toolUseId}"`).slice(0, 200)}.`,
          })
          return
        }
        events.push({
          type: 'tool-result',
          messageId: id(),
          toolCallId: toolUseId,
          output: content,
          toolName: serverToolNames.get(toolUseId) ?? type.slice(0, -'_tool_result'.length),
        })
      }
    }
  }

  function delta(events: EventSink, block: Block | undefined, value: Record<string, unknown>): void {
    if (block === undefined || !block.open) return
    switch (value.type) {
      case 'text_delta': {
        const text = stringField(value.text)
        if (block.kind === 'text' && text)
          events.push({ type: 'text-delta', messageId: id(), id: block.id, delta: text })
        return
      }
      case 'thinking_delta': {
        // The last thinking delta is often empty (thinking-signature-context-management fixture).
        const text = stringField(value.thinking)
        if (block.kind === 'reasoning' && text) {
          events.push({ type: 'reasoning-delta', messageId: id(), id: block.id, delta: text })
        }
        return
      }
      case 'signature_delta': {
        const signature = stringField(value.signature)
        if (block.kind === 'reasoning' && signature !== undefined)
          block.signature = (block.signature ?? '') + signature
        return
      }
      case 'input_json_delta': {
        // The first fragment is usually `""`; it changes nothing.
        const json = stringField(value.partial_json)
        if (block.kind !== 'tool' || !json) return
        block.hasInput = true
        events.push({ type: 'tool-call-delta', messageId: id(), toolCallId: block.id, delta: json })
        return
      }
      case 'citations_delta': {
        const citation = isRecord(value.citation) ? value.citation : {}
        const url = stringField(citation.url)
        if (url === undefined) return
        const event: ChatEvent = { type: 'source', messageId: id(), url }
        const title = stringField(citation.title)
        if (title !== undefined) event.title = title
        events.push(event)
        return
      }
      default:
        return
    }
  }

  function handle(data: Record<string, unknown>, type: string): void {
    if (type === 'ping') return
    start(data.message)
    const events = message
    switch (type) {
      case 'message_start': {
        const message = isRecord(data.message) ? data.message : {}
        if (isRecord(message.usage)) {
          readInputCounts(message.usage, inputCounts)
          // message_start's output_tokens is a placeholder (1–5); message_delta has the real count.
          outputTokens = numberField(message.usage.output_tokens)
        }
        const metadata: Record<string, unknown> = {}
        const model = stringField(message.model)
        const providerId = stringField(message.id)
        if (model !== undefined) metadata.model = model
        if (providerId !== undefined) metadata.providerMessageId = providerId
        if (Object.keys(metadata).length > 0) events.push({ type: 'metadata', messageId: id(), metadata })
        break
      }
      case 'content_block_start': {
        const index = numberField(data.index) ?? blocks.size
        if (isRecord(data.content_block)) startBlock(events, index, data.content_block)
        break
      }
      case 'content_block_delta': {
        const index = numberField(data.index)
        if (index !== undefined && isRecord(data.delta)) delta(events, blocks.get(index), data.delta)
        break
      }
      case 'content_block_stop': {
        const index = numberField(data.index)
        const block = index === undefined ? undefined : blocks.get(index)
        if (block !== undefined) closeBlock(events, block)
        break
      }
      case 'message_delta': {
        const value = isRecord(data.delta) ? data.delta : {}
        stopReason = stringField(value.stop_reason) ?? stopReason
        // Usage here is cumulative (docs warning): the latest value wins.
        if (isRecord(data.usage)) {
          readInputCounts(data.usage, inputCounts)
          outputTokens = numberField(data.usage.output_tokens) ?? outputTokens
        }
        // The model finished: if only message_stop is lost, the answer is still complete.
        if (stopReason !== undefined) message.finishSeen(endFields())
        break
      }
      case 'message_stop':
        closeContentBlocks()
        message.end(endFields())
        break
      case 'error':
        message.fail(
          readAnthropicError(data.error) ?? { message: 'Anthropic sent an error event without a message.' },
        )
        break
      default:
        // Unknown events (the docs promise new ones) are no-ops.
        break
    }
  }

  return createJsonFrameDecoder(message, protocolName, {
    value(value, frame) {
      if (isRecord(value)) handle(value, stringField(value.type) ?? frame?.event ?? '')
    },
    endOfSource(cutOff) {
      if (message.isFinished) closeContentBlocks()
      message.endOfSource(
        `The Anthropic stream ended before message_stop${cutOff ? ', in the middle of an event' : ''}. The connection was probably lost; retry the message.`,
      )
    },
  })
}

/**
 * The events of a non-streaming Messages body (`stream: false`): `{id, model, content[], stop_reason, usage}`.
 *
 * @example
 * ```ts
 * anthropicProtocol.decodeResponse?.({ id: 'msg_1', type: 'message', content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn' })
 * ```
 */
function decodeAnthropicBody(body: unknown, options: DecoderOptions = {}): ChatEvent[] {
  const messageId =
    options.messageId ?? (isRecord(body) ? stringField(body.id) : undefined) ?? fallbackMessageId
  if (!isRecord(body) || body.type === 'error') {
    const error = (isRecord(body) ? readAnthropicError(body.error) : undefined) ?? {
      code: 'invalid-response',
      message: 'The Anthropic response body is not a message object.',
    }
    return [
      { type: 'message-start', messageId, role: 'assistant' },
      { type: 'message-error', messageId, error },
    ]
  }
  // Replay the body as the stream that would have produced it, so both paths share one decoder.
  const decoder = createAnthropicDecoder({ messageId })
  const frames: Record<string, unknown>[] = [{ type: 'message_start', message: { ...body, content: [] } }]
  const content = Array.isArray(body.content) ? body.content : []
  for (const [index, block] of content.entries()) {
    if (!isRecord(block)) continue
    if (block.type === 'text') {
      frames.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } })
      frames.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } })
    } else if (block.type === 'thinking') {
      frames.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '' } })
      frames.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'thinking_delta', thinking: block.thinking },
      })
      frames.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: block.signature },
      })
    } else if (
      block.type === 'tool_use' ||
      block.type === 'server_tool_use' ||
      block.type === 'mcp_tool_use'
    ) {
      // The whole input on the start block, as a non-streamed input arrives.
      frames.push({
        type: 'content_block_start',
        index,
        content_block: { ...block, input: block.input ?? {} },
      })
    } else {
      frames.push({ type: 'content_block_start', index, content_block: block })
    }
    frames.push({ type: 'content_block_stop', index })
  }
  frames.push({ type: 'message_delta', delta: { stop_reason: body.stop_reason }, usage: body.usage })
  frames.push({ type: 'message_stop' })
  return replayJsonBody(decoder, frames)
}

/**
 * The error of an Anthropic HTTP error response: `{"type": "error", "error": {"type", "message"}}`.
 *
 * @example
 * ```ts
 * anthropicProtocol.decodeError?.({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 529)
 * // { message: 'Overloaded', code: 'overloaded_error', status: 529 }
 * ```
 */
export function errorFromAnthropicResponse(body: unknown, status: number): MessageError | undefined {
  return decodeErrorBody(body, status, (value) =>
    isRecord(value) ? readAnthropicError(isRecord(value.error) ? value.error : value) : undefined,
  )
}

/**
 * The Anthropic Messages protocol: SSE frames → {@link ChatEvent}s.
 *
 * Thinking blocks become reasoning (with the `signature_delta` as the part's signature),
 * `tool_use` / `server_tool_use` blocks become tool calls keyed by their `toolu_…` id, and a
 * mid-stream `error` event becomes a `message-error` with the provider's error type as its code.
 *
 * @example
 * ```ts
 * import { anthropicProtocol, collectMessage } from '@sluice/core'
 * const response = await fetch('/v1/messages', { method: 'POST', body })
 * const message = await collectMessage(response.body!, anthropicProtocol)
 * ```
 */
export const anthropicProtocol: Protocol = {
  id: 'anthropic',
  framing: 'sse',
  createDecoder: createAnthropicDecoder,
  decodeResponse: decodeAnthropicBody,
  decodeError: errorFromAnthropicResponse,
}
