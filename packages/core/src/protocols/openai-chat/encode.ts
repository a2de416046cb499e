/**
 * The `openai-chat` encoder: {@link ChatEvent}s → the `chat.completion.chunk` stream OpenAI
 * sends, for mocks. What the official `openai` SDK and the AI SDK read as the real thing.
 *
 * The stream, chunk by chunk (as recorded in `test/fixtures/openai-chat`):
 *
 * 1. A role chunk: `delta: {role: 'assistant', content: '', refusal: null}`. When the answer
 *    starts with a refusal it is `{role, content: null, refusal: ''}`, with a tool call
 *    `{role, content: null}`, with reasoning `{role, content: null, reasoning_content: ''}`.
 * 2. One chunk per text delta (`content`), refusal delta (`refusal`) or reasoning delta.
 *    **Reasoning has no OpenAI wire form**: OpenAI never streams reasoning text over Chat
 *    Completions. It is sent as `delta.reasoning_content`, the DeepSeek field that xAI,
 *    llama.cpp and vLLM also use and that the `openai-chat` decoder reads.
 * 3. Tool calls numbered 0, 1, … in start order: the first fragment carries `index`, `id`,
 *    `type: 'function'`, `function: {name, arguments: ''}`; each later fragment only `index`
 *    and `function.arguments`.
 * 4. The finish chunk: `delta: {}` and `finish_reason`.
 * 5. With `includeUsage` (`stream_options.include_usage`), the usage chunk with `choices: []`;
 *    every chunk before it then carries `usage: null`, as the live API does.
 * 6. `data: [DONE]`, from `end()`, only after `message-end`. A `message-error` is sent as
 *    OpenAI's mid-stream `{"error":{…}}` payload and `message-interrupt` / `message-abort`
 *    send nothing more, so the client sees an error or a cut-off stream.
 *
 * Events with no Chat Completions form are not sent: tool results (the client sends them in
 * the next request), steps, sources, files, data and a second message.
 *
 * @example
 * ```ts
 * import { openaiChatCodec } from '@sluice/core/encoders'
 * import { serializeFrames } from '@sluice/core'
 * const encoder = openaiChatCodec.createEncoder({ model: 'gpt-4o', includeUsage: true })
 * const frames = [...events.flatMap((event) => encoder.encode(event)), ...encoder.end()]
 * const body = serializeFrames(frames, 'sse')
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import { messageReasoning, type TextPart, type ToolCallPart, type Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { finishReasonToOpenAI } from '../shared/finish-reason.ts'
import { usageToOpenAI } from '../shared/usage.ts'

/** Options of the `openai-chat` encoder. */
export interface OpenAIChatEncoderOptions extends EncoderOptions {
  /** `system_fingerprint` on every chunk. Default `fp_sluice`; `null` as some deployments send. */
  systemFingerprint?: string | null
  /** `service_tier` on every chunk; `null` leaves the field out (as 2024 recordings do). Default `default`. */
  serviceTier?: string | null
}

const defaultModel = 'gpt-4o-mini'
const defaultFingerprint = 'fp_sluice'

/** What the first content of the answer is; it decides the shape of the role chunk. */
type FirstContent = 'text' | 'refusal' | 'reasoning' | 'tool'

interface EncodedToolCall {
  index: number
  /** Whether any argument text was sent (a whole-input `tool-call-end` sends it otherwise). */
  sentArguments: boolean
}

function createOpenAIChatEncoder(options: OpenAIChatEncoderOptions): ProtocolEncoder {
  const includeUsage = options.includeUsage ?? false
  let responseId = options.responseId
  let model = options.model
  let systemFingerprint = options.systemFingerprint
  let messageId = 'message'
  let roleSent = false
  let finished = false
  let stopped = false
  let usage: Usage | undefined
  let nextToolIndex = 0
  const toolCalls = new Map<string, EncodedToolCall>()
  const refusalBlocks = new Set<string>()
  /** Text sent per block, so a `text-end` / `message-end` with the final text sends only what is missing. */
  const sentText = new Map<string, string>()

  function chunk(choices: unknown[], chunkUsage?: unknown): Frame {
    const body: Record<string, unknown> = {
      id: responseId ?? `chatcmpl-${messageId}`,
      object: 'chat.completion.chunk',
      created: options.created ?? 0,
      model: model ?? defaultModel,
    }
    const serviceTier = options.serviceTier === undefined ? 'default' : options.serviceTier
    if (serviceTier !== null) body.service_tier = serviceTier
    body.system_fingerprint = systemFingerprint === undefined ? defaultFingerprint : systemFingerprint
    body.choices = choices
    if (chunkUsage !== undefined) body.usage = chunkUsage
    else if (includeUsage) body.usage = null
    return { data: JSON.stringify(body) }
  }

  function deltaChunk(delta: Record<string, unknown>, finishReason: string | null = null): Frame {
    return chunk([{ index: 0, delta, logprobs: null, finish_reason: finishReason }])
  }

  /** The role chunk goes first, shaped by what follows it (see the module documentation). */
  function role(first: FirstContent, frames: Frame[]): void {
    if (roleSent) return
    roleSent = true
    const delta: Record<string, unknown> = { role: 'assistant' }
    if (first === 'text') Object.assign(delta, { content: '', refusal: null })
    else if (first === 'refusal') Object.assign(delta, { content: null, refusal: '' })
    else if (first === 'reasoning') Object.assign(delta, { content: null, reasoning_content: '' })
    else delta.content = null
    frames.push(deltaChunk(delta))
  }

  function text(blockId: string, delta: string, frames: Frame[]): void {
    if (delta === '') return
    const refusal = refusalBlocks.has(blockId)
    role(refusal ? 'refusal' : 'text', frames)
    sentText.set(blockId, (sentText.get(blockId) ?? '') + delta)
    frames.push(deltaChunk(refusal ? { refusal: delta } : { content: delta }))
  }

  function reasoning(blockId: string, delta: string, frames: Frame[]): void {
    if (delta === '') return
    role('reasoning', frames)
    sentText.set(blockId, (sentText.get(blockId) ?? '') + delta)
    frames.push(deltaChunk({ reasoning_content: delta }))
  }

  /** The part of a block's final text that was not streamed yet (nothing when it differs). */
  function missingSuffix(blockId: string, finalText: string | undefined): string {
    if (finalText === undefined) return ''
    const sent = sentText.get(blockId) ?? ''
    return finalText.startsWith(sent) ? finalText.slice(sent.length) : ''
  }

  function startToolCall(toolCallId: string, toolName: string, frames: Frame[]): EncodedToolCall {
    const call: EncodedToolCall = { index: nextToolIndex++, sentArguments: false }
    toolCalls.set(toolCallId, call)
    role('tool', frames)
    frames.push(
      deltaChunk({
        tool_calls: [
          {
            index: call.index,
            id: toolCallId,
            type: 'function',
            function: { name: toolName, arguments: '' },
          },
        ],
      }),
    )
    return call
  }

  function toolArguments(call: EncodedToolCall, argumentsText: string, frames: Frame[]): void {
    if (argumentsText === '') return
    call.sentArguments = true
    frames.push(deltaChunk({ tool_calls: [{ index: call.index, function: { arguments: argumentsText } }] }))
  }

  function encode(event: ChatEvent): Frame[] {
    if (finished || stopped) return []
    const frames: Frame[] = []
    switch (event.type) {
      case 'message-start':
        messageId = event.messageId
        break
      case 'metadata': {
        // The id, model and fingerprint are the same on every chunk: only before the first one.
        if (roleSent) break
        const { responseId: id, model: name, systemFingerprint: fingerprint } = event.metadata
        if (options.responseId === undefined && typeof id === 'string') responseId = id
        if (options.model === undefined && typeof name === 'string') model = name
        if (options.systemFingerprint === undefined && typeof fingerprint === 'string')
          systemFingerprint = fingerprint
        break
      }
      case 'text-start':
        if (event.refusal) refusalBlocks.add(event.id)
        break
      case 'text-delta':
        text(event.id, event.delta, frames)
        break
      case 'text-end':
        text(event.id, missingSuffix(event.id, event.text), frames)
        break
      case 'reasoning-start':
        break
      case 'reasoning-delta':
        reasoning(event.id, event.delta, frames)
        break
      case 'reasoning-end':
        reasoning(event.id, missingSuffix(event.id, event.text), frames)
        break
      case 'tool-call-start':
        if (!toolCalls.has(event.toolCallId)) startToolCall(event.toolCallId, event.toolName, frames)
        break
      case 'tool-call-delta': {
        const call = toolCalls.get(event.toolCallId) ?? startToolCall(event.toolCallId, '', frames)
        toolArguments(call, event.delta, frames)
        break
      }
      case 'tool-call-end': {
        // Whole-input wires end a call they never started, or give its input only here.
        const call =
          toolCalls.get(event.toolCallId) ?? startToolCall(event.toolCallId, event.toolName ?? '', frames)
        if (!call.sentArguments) {
          const input = event.inputText ?? (event.input === undefined ? '' : JSON.stringify(event.input))
          toolArguments(call, input, frames)
        }
        break
      }
      case 'usage':
        usage = { ...usage, ...event.usage }
        break
      case 'message-end': {
        if (event.usage !== undefined) usage = { ...usage, ...event.usage }
        if (event.content !== undefined) {
          let sent = ''
          for (const [blockId, value] of sentText) if (!refusalBlocks.has(blockId)) sent += value
          if (event.content.startsWith(sent)) text('final-content', event.content.slice(sent.length), frames)
        }
        role('text', frames)
        frames.push(deltaChunk({}, finishReasonToOpenAI(event.finishReason, event.rawFinishReason)))
        if (includeUsage) frames.push(chunk([], usageToOpenAI(usage ?? {})))
        finished = true
        break
      }
      case 'message-error': {
        const status = event.error.status ?? 500
        frames.push({
          data: JSON.stringify(openaiChatErrorBody(status, event.error.message, event.error.code)),
        })
        stopped = true
        break
      }
      case 'message-abort':
      case 'message-interrupt':
        stopped = true
        break
      case 'tool-running':
      case 'tool-result':
      case 'tool-error':
      case 'step-start':
      case 'step-end':
      case 'source':
      case 'file':
      case 'data':
        // No Chat Completions form (see the module documentation).
        break
      default: {
        const unknown: never = event
        throw new Error(
          `The openai-chat encoder received an event of unknown type ${JSON.stringify((unknown as { type: unknown }).type)}. Pass only ChatEvent types.`,
        )
      }
    }
    return frames
  }

  return {
    encode,
    end: () => (finished ? [{ data: '[DONE]' }] : []),
  }
}

/** OpenAI's `type` and `code` for an HTTP error status, as the live API answers. */
function errorKind(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' }
  if (status === 403) return { type: 'invalid_request_error', code: 'unsupported_country_region_territory' }
  if (status === 404) return { type: 'invalid_request_error', code: 'model_not_found' }
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' }
  if (status >= 500) return { type: 'server_error', code: null }
  return { type: 'invalid_request_error', code: null }
}

/**
 * OpenAI's error body: `{"error":{"message","type","param","code"}}`, with the `type` and
 * `code` OpenAI uses for the status (401 `invalid_api_key`, 404 `model_not_found`, 429
 * `rate_limit_exceeded`, 5xx `server_error`). `code` overrides the code.
 *
 * @example
 * ```ts
 * openaiChatErrorBody(429, 'Rate limit reached for gpt-4o')
 * // { error: { message: 'Rate limit reached for gpt-4o', type: 'requests', param: null, code: 'rate_limit_exceeded' } }
 * ```
 */
export function openaiChatErrorBody(
  status: number,
  message: string,
  code?: string,
): { error: { message: string; type: string; param: null; code: string | null } } {
  const kind = errorKind(status)
  return { error: { message, type: kind.type, param: null, code: code ?? kind.code } }
}

/** The encode direction of `openai-chat` (see the module documentation). */
export interface OpenAIChatCodec extends ProtocolCodec {
  createEncoder(options?: OpenAIChatEncoderOptions): ProtocolEncoder
  encodeResponse(events: readonly ChatEvent[], options?: OpenAIChatEncoderOptions): unknown
  encodeError(status: number, message: string, options?: { code?: string }): unknown
}

/**
 * Events → OpenAI Chat Completions chunks (SSE), a whole `chat.completion` body, or an error body.
 *
 * @example
 * ```ts
 * const body = openaiChatCodec.encodeResponse([
 *   { type: 'message-start', messageId: 'm1' },
 *   { type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hello' },
 *   { type: 'message-end', messageId: 'm1', finishReason: 'stop' },
 * ])
 * // { id: 'chatcmpl-m1', object: 'chat.completion', choices: [{ message: { content: 'Hello', … } }], … }
 * ```
 */
export const openaiChatCodec: OpenAIChatCodec = {
  id: 'openai-chat',
  framing: 'sse',
  createEncoder: (options: OpenAIChatEncoderOptions = {}) => createOpenAIChatEncoder(options),
  /**
   * The `chat.completion` body OpenAI returns for `stream: false`: the events folded into one
   * message (the last one). Reasoning goes in `message.reasoning_content`. An errored message
   * gives OpenAI's error body instead.
   */
  encodeResponse(events: readonly ChatEvent[], options: OpenAIChatEncoderOptions = {}): unknown {
    const state = reduceChat(initialChatState, events)
    const messageId = state.messageIds[state.messageIds.length - 1]
    const message = messageId === undefined ? undefined : state.messages[messageId]
    if (message?.status === 'error' && message.error !== undefined) {
      return openaiChatErrorBody(message.error.status ?? 500, message.error.message, message.error.code)
    }
    const metadata = message?.metadata ?? {}
    const parts = message?.parts ?? []
    const texts = parts.filter((part): part is TextPart => part.type === 'text')
    const content = texts.filter((part) => !part.refusal).map((part) => part.text)
    const refusal = texts.filter((part) => part.refusal).map((part) => part.text)
    const calls = parts.filter((part): part is ToolCallPart => part.type === 'tool-call')
    const reasoning = message === undefined ? '' : messageReasoning(message)
    const body: Record<string, unknown> = {
      id:
        options.responseId ??
        (typeof metadata.responseId === 'string'
          ? metadata.responseId
          : `chatcmpl-${messageId ?? 'message'}`),
      object: 'chat.completion',
      created: options.created ?? 0,
      model: options.model ?? (typeof metadata.model === 'string' ? metadata.model : defaultModel),
    }
    const responseMessage: Record<string, unknown> = {
      role: 'assistant',
      content: content.length === 0 ? null : content.join(''),
      refusal: refusal.length === 0 ? null : refusal.join(''),
      annotations: [],
    }
    if (reasoning !== '') responseMessage.reasoning_content = reasoning
    if (calls.length > 0) {
      responseMessage.tool_calls = calls.map((call) => ({
        id: call.toolCallId,
        type: 'function',
        function: {
          name: call.toolName,
          arguments: call.inputText !== '' ? call.inputText : JSON.stringify(call.input ?? {}),
        },
      }))
    }
    body.choices = [
      {
        index: 0,
        message: responseMessage,
        logprobs: null,
        finish_reason: finishReasonToOpenAI(message?.finishReason, message?.rawFinishReason),
      },
    ]
    body.usage = usageToOpenAI(message?.usage ?? {})
    const serviceTier = options.serviceTier === undefined ? 'default' : options.serviceTier
    if (serviceTier !== null) body.service_tier = serviceTier
    body.system_fingerprint =
      options.systemFingerprint !== undefined
        ? options.systemFingerprint
        : typeof metadata.systemFingerprint === 'string'
          ? metadata.systemFingerprint
          : defaultFingerprint
    return body
  },
  encodeError: (status: number, message: string, options: { code?: string } = {}) =>
    openaiChatErrorBody(status, message, options.code),
}
