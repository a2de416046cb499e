/**
 * Anthropic Messages, encode direction: {@link ChatEvent}s → the SSE events `/v1/messages`
 * sends (for mocks). As recorded (test/fixtures/anthropic-messages): `event:` equal to the JSON
 * `type`, `message_start`, the first `content_block_start` then `ping`, one `index` per content block, an empty first
 * `input_json_delta`, `signature_delta` before a thinking block stops, `message_delta` with the
 * stop reason and usage, then `message_stop`.
 *
 * @example
 * ```ts
 * import { anthropicCodec } from '@sluice/core/encoders'
 * const encoder = anthropicCodec.createEncoder({ model: 'claude-sonnet-4-5-20250929', responseId: 'msg_1' })
 * encoder.encode({ type: 'message-start', messageId: 'm1' }) // message_start
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { FinishReason, Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'

const defaultModel = 'claude-sonnet-4-5-20250929'
const defaultMessageId = 'msg_sluice'

type Json = Record<string, unknown>

/** Sluice finish reason → Anthropic `stop_reason`. */
const stopReasons: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  error: 'end_turn',
  other: 'pause_turn',
}

/** The stop reasons the API sends; a raw reason among them is echoed as is. */
const knownStopReasons = new Set([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
])

/** Anthropic's `input_tokens` excludes the cache reads that Sluice's `inputTokens` includes. */
function inputCounts(usage: Usage | undefined): Json {
  const cacheRead = usage?.cachedInputTokens ?? 0
  return {
    input_tokens: Math.max(0, (usage?.inputTokens ?? 0) - cacheRead),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cacheRead,
  }
}

type Block =
  | { kind: 'text'; index: number; text: string }
  | { kind: 'thinking'; index: number; text: string }
  | { kind: 'tool'; index: number; input: string }

/** A deterministic stand-in signature for a mock's thinking block (base64, like the real ones). */
function placeholderSignature(index: number): string {
  return btoa(`sluice-mock-signature:${index}`)
}

function createAnthropicEncoder(options: EncoderOptions = {}): ProtocolEncoder {
  const messageId = options.responseId ?? defaultMessageId
  const model = options.model ?? defaultModel
  let started = false
  let finished = false
  let pingPending = false
  let nextIndex = 0
  let usage: Usage | undefined
  let sawToolUse = false
  const texts = new Map<string, Block & { kind: 'text' }>()
  const thinkings = new Map<string, Block & { kind: 'thinking' }>()
  const tools = new Map<string, Block & { kind: 'tool' }>()

  function frame(type: string, fields: Json = {}): Frame {
    return { event: type, data: JSON.stringify({ type, ...fields }) }
  }

  function ensureStarted(frames: Frame[]): void {
    if (started) return
    started = true
    frames.push(
      frame('message_start', {
        message: {
          model,
          id: messageId,
          type: 'message',
          role: 'assistant',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            ...inputCounts(usage),
            cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
            // A placeholder, as on the wire: the real count comes in message_delta.
            output_tokens: 1,
            service_tier: 'standard',
          },
        },
      }),
    )
    pingPending = true
  }

  /** A content block starts; the API sends its one `ping` right after the first one. */
  function blockStart(frames: Frame[], index: number, contentBlock: Json): void {
    frames.push(frame('content_block_start', { index, content_block: contentBlock }))
    if (pingPending) {
      pingPending = false
      frames.push(frame('ping'))
    }
  }

  function delta(index: number, value: Json): Frame {
    return frame('content_block_delta', { index, delta: value })
  }

  function startText(frames: Frame[], id: string): Block & { kind: 'text' } {
    const existing = texts.get(id)
    if (existing !== undefined) return existing
    const block = { kind: 'text' as const, index: nextIndex++, text: '' }
    texts.set(id, block)
    blockStart(frames, block.index, { type: 'text', text: '' })
    return block
  }

  function startThinking(frames: Frame[], id: string): Block & { kind: 'thinking' } {
    const existing = thinkings.get(id)
    if (existing !== undefined) return existing
    const block = { kind: 'thinking' as const, index: nextIndex++, text: '' }
    thinkings.set(id, block)
    blockStart(frames, block.index, { type: 'thinking', thinking: '', signature: '' })
    return block
  }

  function startTool(
    frames: Frame[],
    toolCallId: string,
    name: string,
    providerExecuted: boolean,
  ): Block & { kind: 'tool' } {
    const existing = tools.get(toolCallId)
    if (existing !== undefined) return existing
    const block = { kind: 'tool' as const, index: nextIndex++, input: '' }
    tools.set(toolCallId, block)
    if (!providerExecuted) sawToolUse = true
    blockStart(frames, block.index, {
      type: providerExecuted ? 'server_tool_use' : 'tool_use',
      id: toolCallId,
      name,
      input: {},
    })
    // The API always opens tool input with an empty fragment.
    frames.push(delta(block.index, { type: 'input_json_delta', partial_json: '' }))
    return block
  }

  function stop(frames: Frame[], index: number): void {
    frames.push(frame('content_block_stop', { index }))
  }

  function endText(frames: Frame[], id: string, finalText: string | undefined): void {
    const block = texts.get(id) ?? startText(frames, id)
    texts.delete(id)
    if (finalText !== undefined && finalText !== block.text && finalText.startsWith(block.text)) {
      frames.push(delta(block.index, { type: 'text_delta', text: finalText.slice(block.text.length) }))
    }
    stop(frames, block.index)
  }

  function endThinking(
    frames: Frame[],
    id: string,
    signature: string | undefined,
    finalText: string | undefined,
  ): void {
    const block = thinkings.get(id) ?? startThinking(frames, id)
    thinkings.delete(id)
    if (finalText !== undefined && finalText !== block.text && finalText.startsWith(block.text)) {
      frames.push(
        delta(block.index, { type: 'thinking_delta', thinking: finalText.slice(block.text.length) }),
      )
    }
    // A real signature is sent as is. Without one, a mock may ask for a placeholder (the real API
    // signs every thinking block); a made-up one is never sent otherwise, since the real API
    // would reject it when the client sends the block back.
    const sent = signature ?? (options.placeholderSignatures ? placeholderSignature(block.index) : undefined)
    if (sent !== undefined) frames.push(delta(block.index, { type: 'signature_delta', signature: sent }))
    stop(frames, block.index)
  }

  function endTool(frames: Frame[], event: ChatEvent & { type: 'tool-call-end' }): void {
    const block =
      tools.get(event.toolCallId) ??
      startTool(frames, event.toolCallId, event.toolName ?? '', event.providerExecuted === true)
    tools.delete(event.toolCallId)
    const complete =
      event.inputText ??
      (event.input !== undefined && block.input === '' ? JSON.stringify(event.input) : block.input)
    if (complete !== block.input && complete.startsWith(block.input)) {
      frames.push(
        delta(block.index, { type: 'input_json_delta', partial_json: complete.slice(block.input.length) }),
      )
    }
    stop(frames, block.index)
  }

  /** Blocks still open when the message ends are stopped first, in index order. */
  function closeOpenBlocks(frames: Frame[]): void {
    const open = [
      ...[...texts].map(([id, block]) => ({
        index: block.index,
        close: () => endText(frames, id, undefined),
      })),
      ...[...thinkings].map(([id, block]) => ({
        index: block.index,
        close: () => endThinking(frames, id, undefined, undefined),
      })),
      ...[...tools].map(([toolCallId, block]) => ({
        index: block.index,
        close: () => endTool(frames, { type: 'tool-call-end', messageId: '', toolCallId }),
      })),
    ]
    for (const block of open.sort((a, b) => a.index - b.index)) block.close()
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
          startText(frames, event.id)
          break
        case 'text-delta': {
          if (event.delta === '') break
          ensureStarted(frames)
          const block = startText(frames, event.id)
          block.text += event.delta
          frames.push(delta(block.index, { type: 'text_delta', text: event.delta }))
          break
        }
        case 'text-end':
          ensureStarted(frames)
          endText(frames, event.id, event.text)
          break
        case 'reasoning-start':
          ensureStarted(frames)
          startThinking(frames, event.id)
          break
        case 'reasoning-delta': {
          if (event.delta === '') break
          ensureStarted(frames)
          const block = startThinking(frames, event.id)
          block.text += event.delta
          frames.push(delta(block.index, { type: 'thinking_delta', thinking: event.delta }))
          break
        }
        case 'reasoning-end':
          ensureStarted(frames)
          endThinking(frames, event.id, event.signature, event.text)
          break
        case 'tool-call-start':
          ensureStarted(frames)
          startTool(frames, event.toolCallId, event.toolName, event.providerExecuted === true)
          break
        case 'tool-call-delta': {
          if (event.delta === '') break
          ensureStarted(frames)
          const block = startTool(frames, event.toolCallId, '', false)
          block.input += event.delta
          frames.push(delta(block.index, { type: 'input_json_delta', partial_json: event.delta }))
          break
        }
        case 'tool-call-end':
          ensureStarted(frames)
          endTool(frames, event)
          break
        case 'usage':
          usage = { ...usage, ...event.usage }
          break
        case 'message-end': {
          ensureStarted(frames)
          closeOpenBlocks(frames)
          finished = true
          if (event.usage !== undefined) usage = { ...usage, ...event.usage }
          const raw = event.rawFinishReason
          const stopReason =
            raw !== undefined && knownStopReasons.has(raw)
              ? raw
              : event.finishReason !== undefined
                ? stopReasons[event.finishReason]
                : sawToolUse
                  ? 'tool_use'
                  : 'end_turn'
          frames.push(
            frame('message_delta', {
              delta: { stop_reason: stopReason, stop_sequence: null },
              // Recent API versions repeat the input counts here; usage is cumulative.
              usage: { ...inputCounts(usage), output_tokens: usage?.outputTokens ?? 0 },
            }),
          )
          frames.push(frame('message_stop'))
          break
        }
        case 'message-error':
          ensureStarted(frames)
          finished = true
          // Mid-stream errors end the stream without message_stop (docs "Error events").
          frames.push(
            frame('error', {
              error: {
                type: anthropicErrorType(event.error.code, event.error.status),
                message: event.error.message,
              },
            }),
          )
          break
        case 'message-abort':
        case 'message-interrupt':
          // The connection just ends, without message_stop.
          finished = true
          break
        default:
          // Client tool results travel in the next request, not in this stream; steps, sources,
          // files, data and metadata have no Messages wire form.
          break
      }
      return frames
    },
    end(): Frame[] {
      return []
    },
  }
}

/** The Anthropic error types (https://docs.claude.com/en/api/errors), by HTTP status. */
const errorTypesByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
}

const knownErrorTypes = new Set(Object.values(errorTypesByStatus))

function anthropicErrorType(code: string | undefined, status: number | undefined): string {
  if (code !== undefined && knownErrorTypes.has(code)) return code
  if (status !== undefined)
    return errorTypesByStatus[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
  return 'api_error'
}

/**
 * The non-streaming body for the same events (`stream: false`): the finished message object.
 *
 * @example
 * ```ts
 * anthropicCodec.encodeResponse?.([{ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' }])
 * // { id: 'msg_sluice', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hi' }], … }
 * ```
 */
function encodeAnthropicBody(events: readonly ChatEvent[], options: EncoderOptions = {}): unknown {
  // Build the body from the stream the same events produce, so both agree on every field.
  const encoder = createAnthropicEncoder(options)
  const frames = events.flatMap((event) => encoder.encode(event))
  let message: Json = {}
  const content: Json[] = []
  const inputs: string[] = []
  let ended = false
  const apply = (data: Json): void => {
    const index = typeof data.index === 'number' ? data.index : -1
    switch (data.type) {
      case 'message_start':
        message = { ...(data.message as Json) }
        break
      case 'content_block_start':
        content[index] = { ...(data.content_block as Json) }
        inputs[index] = ''
        break
      case 'content_block_delta': {
        const value = data.delta as Json
        const block = content[index]
        if (block === undefined) break
        if (value.type === 'text_delta') block.text = `${block.text as string}${value.text as string}`
        if (value.type === 'thinking_delta')
          block.thinking = `${block.thinking as string}${value.thinking as string}`
        if (value.type === 'signature_delta') block.signature = value.signature
        if (value.type === 'input_json_delta')
          inputs[index] = `${inputs[index] ?? ''}${value.partial_json as string}`
        break
      }
      case 'content_block_stop': {
        const block = content[index]
        if (block !== undefined && 'input' in block)
          block.input = JSON.parse(inputs[index] || '{}') as unknown
        break
      }
      case 'message_delta': {
        ended = true
        const value = data.delta as Json
        message.stop_reason = value.stop_reason
        message.stop_sequence = value.stop_sequence
        const wireUsage = data.usage as Json
        message.usage = { ...(message.usage as Json), ...wireUsage }
        break
      }
    }
  }
  for (const frame of frames) apply(JSON.parse(frame.data) as Json)
  if (!ended)
    for (const frame of encoder.encode({ type: 'message-end', messageId: '' }))
      apply(JSON.parse(frame.data) as Json)
  return { ...message, content }
}

/**
 * Anthropic's HTTP error body: `{"type": "error", "error": {"type", "message"}}`, with the error
 * type the API uses for the status (529 `overloaded_error`, 429 `rate_limit_error`, 401
 * `authentication_error`, …) unless `options.code` names one.
 *
 * @example
 * ```ts
 * anthropicCodec.encodeError?.(529, 'Overloaded')
 * // { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
 * ```
 */
export function encodeAnthropicError(
  status: number,
  message: string,
  options: { code?: string } = {},
): unknown {
  return { type: 'error', error: { type: anthropicErrorType(options.code, status), message } }
}

/**
 * Anthropic Messages, encode direction: events → the SSE events `/v1/messages` sends.
 *
 * @example
 * ```ts
 * import { anthropicCodec } from '@sluice/core/encoders'
 * import { serializeFrames } from '@sluice/core'
 * const encoder = anthropicCodec.createEncoder({ responseId: 'msg_1' })
 * const body = serializeFrames(events.flatMap((event) => encoder.encode(event)), 'sse')
 * ```
 */
export const anthropicCodec: ProtocolCodec = {
  id: 'anthropic',
  framing: 'sse',
  createEncoder: createAnthropicEncoder,
  encodeResponse: encodeAnthropicBody,
  encodeError: encodeAnthropicError,
}
