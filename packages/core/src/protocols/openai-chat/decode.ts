/**
 * The `openai-chat` decoder: OpenAI Chat Completions (`chat.completion.chunk` over SSE) and
 * every OpenAI-compatible server (DeepSeek, xAI, Groq, Mistral, OpenRouter, Qwen, Anthropic's
 * compatibility layer, Azure OpenAI, Perplexity, vLLM, llama.cpp, …).
 *
 * What the decoder does with the wire, and why (PROTOCOLS.md §1 and §7):
 *
 * - **Termination.** `data: [DONE]` ends the message. A stream that ends without it is
 *   `interrupted`, unless the selected choice already sent its `finish_reason`: the model
 *   finished the answer and only the trailer (the usage chunk, `[DONE]`) was lost, which is
 *   what a user sees as a complete answer, so the message is `complete` (usage may be missing).
 *   Perplexity's final `object: "chat.completion.done"` chunk carries a `finish_reason`, so
 *   it completes the same way whether or not `[DONE]` follows.
 * - **Choices.** Keyed by `choices[].index`. Only one choice becomes the message: index 0
 *   unless `choiceIndex` says otherwise. The text of every other choice (`n > 1`) is never
 *   mixed in; it is kept as a `data` part named `openai-choice` (id `choice-<index>`,
 *   `{ index, text, finishReason, rawFinishReason }`) when that choice finishes. Their tool
 *   calls and reasoning are not kept.
 * - **Text and reasoning.** `delta.content` is a string, or (Mistral Magistral) an array of
 *   `{type:'text', text}` and `{type:'thinking', thinking:[{type:'text', text}]}` parts.
 *   Reasoning is read from `delta.reasoning_content` (DeepSeek, xAI, llama.cpp, old vLLM),
 *   else `delta.reasoning` (Groq, vLLM, OpenRouter), else the texts and summaries of
 *   `delta.reasoning_details[]` (OpenRouter, which often repeats `reasoning` there: reading
 *   only one field keeps the text from doubling). Encrypted reasoning has no text and is skipped.
 *   Each switch between text and reasoning starts a new part, so parts keep their order.
 * - **Refusals.** `delta.refusal` becomes a text part with `refusal: true`, and the message's
 *   finish reason becomes `content-filter` (the raw word, usually `stop`, stays in
 *   `rawFinishReason`).
 * - **Tool calls.** Keyed by `tool_calls[].index`, never by array position or id, so an index
 *   that starts at 1 (Anthropic's layer), several calls in one chunk (Mistral) and whole
 *   arguments in one fragment (Groq, xAI) all work. An empty `id` on a continuation (Qwen)
 *   never replaces the stored id. A missing `index` (tolerated, §7) is matched by `id`, else
 *   continues the latest call. A different non-empty `id` on a known index starts a new call.
 *   Arguments for an index that never named its tool are held back until the name arrives,
 *   and dropped if it never does (a call with no name cannot be run). Every open call gets
 *   `tool-call-end` when the `finish_reason` arrives. Legacy `delta.function_call` is a call too.
 * - **Usage.** From any chunk that has it: the `choices: []` chunk (OpenAI), the finish chunk
 *   (DeepSeek, Mistral, Groq), every chunk cumulatively (Perplexity: later totals replace
 *   earlier ones), or Groq's `x_groq.usage`. Emitted as `usage` events and on `message-end`.
 * - **Sources.** Perplexity `citations[]` / `search_results[]` and OpenAI/OpenRouter
 *   `delta.annotations[]` (`url_citation`) become `source` events, once per URL.
 * - **Metadata.** The provider's response `id`, `model`, `provider` (OpenRouter) and
 *   `system_fingerprint` go into `metadata` events when first seen or changed.
 * - **Ignored.** Azure's `prompt_filter_results`-only chunks (no choices, empty id),
 *   `content_filter_results`, `obfuscation` and `"p"` padding, `logprobs`, `x_groq` timings,
 *   `timings`, `native_finish_reason`, and any field this decoder does not know. SSE comments
 *   (`: OPENROUTER PROCESSING`) never reach the decoder: the framer drops them.
 * - **Errors.** A `{"error":{…}}` or `{"object":"error",…}` payload, or an `event: error`
 *   frame, is a `message-error` with the provider's message and its `code` (or `type`).
 *   A frame that is not JSON is a `message-error` too. Nothing after an error is applied.
 *
 * @example
 * ```ts
 * import { openaiChatProtocol } from '@sluice/core'
 * const decoder = openaiChatProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"id":"c1","choices":[{"index":0,"delta":{"content":"Hi"}}]}' })
 * decoder.decode({ data: '[DONE]' }) // [..., { type: 'message-end', messageId: 'm1', ... }]
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { MessageError, Usage } from '../../message.ts'
import type { DecoderOptions, Frame, Protocol, ProtocolDecoder } from '../../protocol.ts'
import { isRecord, numberField, parseJsonFrame, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  createTextBlocks,
  decodeErrorBody,
  errorFromOpenAI,
  finishReasonFromOpenAI,
  type MessageEndFields,
  replayJsonBody,
  stringifyWireValue,
  usageFromOpenAI,
} from '../shared/index.ts'

/** Options of the `openai-chat` decoder. */
export interface OpenAIChatDecoderOptions extends DecoderOptions {
  /**
   * Which choice (`choices[].index`, for requests with `n > 1`) becomes the message.
   * Default 0. The others are kept as `openai-choice` data parts.
   */
  choiceIndex?: number
}

/** The message id used when neither the caller nor the wire gives one. */
const fallbackMessageId = 'openai-chat-message'

interface ToolCallAccumulator {
  /** The id the wire gave, when it gave one. */
  wireId: string | undefined
  toolCallId: string
  toolName: string
  started: boolean
  ended: boolean
  /** Arguments that arrived before the tool's name (held back until the call can start). */
  heldInput: string
}

interface OtherChoice {
  text: string
  finished: boolean
}

/** The metadata keys and the chunk fields they come from. */
const metadataFields = [
  ['responseId', 'id'],
  ['model', 'model'],
  ['provider', 'provider'],
  ['systemFingerprint', 'system_fingerprint'],
] as const

/**
 * The stateful core of one response's decoding. `decodeValue` takes an already parsed chunk,
 * so {@link OpenAIChatProtocol.decodeResponse} can reuse it for a whole `chat.completion` body.
 */
function createOpenAIChatDecoder(options: OpenAIChatDecoderOptions = {}) {
  const selectedChoice = options.choiceIndex ?? 0
  const message = createMessageEmitter({ messageId: options.messageId, fallbackMessageId })
  // One counter for every kind, from 1: `reasoning-1`, `text-2`, `refusal-3`, in order.
  const blocks = createTextBlocks(() => message.messageId, { numbering: 'shared', firstNumber: 1 })
  const events = message
  let finishWord: string | undefined
  let refusalSeen = false
  let usage: Usage | undefined
  const toolCalls = new Map<number | string, ToolCallAccumulator>()
  let latestToolCall: ToolCallAccumulator | undefined
  let unindexedCount = 0
  const sourceUrls = new Set<string>()
  const sentMetadata = new Map<string, string>()
  const otherChoices = new Map<number, OtherChoice>()

  function start(chunkId: string | undefined): void {
    message.useWireId(chunkId)
    message.start()
  }

  const closeBlock = (): void => blocks.close(message)
  const append = (kind: 'text' | 'refusal' | 'reasoning', text: string): void =>
    blocks.append(message, kind, text)

  function endToolCall(call: ToolCallAccumulator): void {
    if (!call.started || call.ended) return
    call.ended = true
    events.push({ type: 'tool-call-end', messageId: message.messageId, toolCallId: call.toolCallId })
  }

  function toolCallDelta(entry: unknown, fallbackKey?: string): void {
    if (!isRecord(entry)) return
    const fn = isRecord(entry.function) ? entry.function : entry
    // Qwen repeats `"id": ""` on every continuation: an empty id is no id.
    const id = stringField(entry.id) || undefined
    const name = stringField(fn.name) || undefined
    // Some servers send whole arguments as an object instead of a JSON string.
    const rawArguments = fn.arguments
    const argumentsText =
      typeof rawArguments === 'string'
        ? rawArguments
        : isRecord(rawArguments) || Array.isArray(rawArguments)
          ? stringifyWireValue(rawArguments, 'openai-chat', 'the arguments of a tool call')
          : ''
    let key: number | string | undefined = numberField(entry.index) ?? fallbackKey
    let call: ToolCallAccumulator | undefined
    if (key === undefined) {
      // No index (tolerated, §7): the call with this id, else a new call if it names a
      // tool, else the latest call (a continuation fragment).
      if (id !== undefined) {
        for (const candidate of toolCalls.values()) if (candidate.wireId === id) call = candidate
      } else if (name === undefined) {
        call = latestToolCall
      }
      if (call === undefined) key = `unindexed-${unindexedCount++}`
    } else {
      call = toolCalls.get(key)
    }
    if (call !== undefined && id !== undefined && call.wireId !== undefined && id !== call.wireId) {
      // A new call that reuses an index (servers that number every call 0): end the old one.
      endToolCall(call)
      call = undefined
    }
    if (call === undefined) {
      const resolvedKey = key ?? `unindexed-${unindexedCount++}`
      call = {
        wireId: id,
        toolCallId: id ?? `${message.messageId}-call-${resolvedKey}`,
        toolName: '',
        started: false,
        ended: false,
        heldInput: '',
      }
      toolCalls.set(resolvedKey, call)
    } else if (call.wireId === undefined && id !== undefined && !call.started) {
      call.wireId = id
      call.toolCallId = id
    }
    latestToolCall = call
    if (call.ended) return
    if (!call.started) {
      if (name !== undefined) call.toolName = name
      if (call.toolName === '') {
        call.heldInput += argumentsText
        return
      }
      closeBlock()
      call.started = true
      events.push({
        type: 'tool-call-start',
        messageId: message.messageId,
        toolCallId: call.toolCallId,
        toolName: call.toolName,
      })
      const input = call.heldInput + argumentsText
      call.heldInput = ''
      if (input !== '')
        events.push({
          type: 'tool-call-delta',
          messageId: message.messageId,
          toolCallId: call.toolCallId,
          delta: input,
        })
      return
    }
    if (argumentsText !== '') {
      events.push({
        type: 'tool-call-delta',
        messageId: message.messageId,
        toolCallId: call.toolCallId,
        delta: argumentsText,
      })
    }
  }

  function source(url: string | undefined, title: string | undefined, sourceId?: string): void {
    if (url === undefined || url === '' || sourceUrls.has(url)) return
    sourceUrls.add(url)
    const event: ChatEvent = { type: 'source', messageId: message.messageId, url }
    if (title !== undefined && title !== '') event.title = title
    if (sourceId !== undefined) event.sourceId = sourceId
    events.push(event)
  }

  function annotations(value: unknown): void {
    if (!Array.isArray(value)) return
    for (const annotation of value) {
      if (!isRecord(annotation) || !isRecord(annotation.url_citation)) continue
      source(stringField(annotation.url_citation.url), stringField(annotation.url_citation.title))
    }
  }

  function citations(chunk: Record<string, unknown>): void {
    // Only Perplexity sends these; every other chunk leaves here without allocating.
    if (chunk.citations === undefined && chunk.search_results === undefined) return
    const titles = new Map<string, string>()
    const searchResults = Array.isArray(chunk.search_results) ? chunk.search_results : []
    for (const result of searchResults) {
      const url = isRecord(result) ? stringField(result.url) : undefined
      const title = isRecord(result) ? stringField(result.title) : undefined
      if (url !== undefined && title !== undefined) titles.set(url, title)
    }
    if (Array.isArray(chunk.citations)) {
      // Perplexity numbers citations from 1 in the text (`[1]`), hence the source ids.
      for (const [position, url] of chunk.citations.entries()) {
        if (typeof url === 'string') source(url, titles.get(url), `citation-${position + 1}`)
      }
    }
    for (const result of searchResults) {
      if (isRecord(result)) source(stringField(result.url), stringField(result.title))
    }
  }

  function metadata(chunk: Record<string, unknown>): void {
    let changed: Record<string, unknown> | undefined
    for (const [key, field] of metadataFields) {
      const value = stringField(chunk[field])
      if (value === undefined || value === '' || sentMetadata.get(key) === value) continue
      sentMetadata.set(key, value)
      changed ??= {}
      changed[key] = value
    }
    if (changed !== undefined)
      events.push({ type: 'metadata', messageId: message.messageId, metadata: changed })
  }

  /** Reasoning text of a delta, from exactly one of the fields servers use for it. */
  function reasoningText(delta: Record<string, unknown>): string {
    const direct = stringField(delta.reasoning_content) ?? stringField(delta.reasoning)
    if (direct !== undefined) return direct
    if (!Array.isArray(delta.reasoning_details)) return ''
    let text = ''
    for (const detail of delta.reasoning_details) {
      if (!isRecord(detail)) continue
      if (detail.type === 'reasoning.text') text += stringField(detail.text) ?? ''
      else if (detail.type === 'reasoning.summary') text += stringField(detail.summary) ?? ''
    }
    return text
  }

  function content(value: unknown): void {
    if (typeof value === 'string') {
      append('text', value)
      return
    }
    if (!Array.isArray(value)) return
    for (const part of value) {
      if (!isRecord(part)) continue
      if (part.type === 'text') append('text', stringField(part.text) ?? '')
      else if (part.type === 'thinking') {
        if (typeof part.thinking === 'string') append('reasoning', part.thinking)
        else if (Array.isArray(part.thinking)) {
          for (const piece of part.thinking)
            if (isRecord(piece)) append('reasoning', stringField(piece.text) ?? '')
        }
      }
    }
  }

  function selectedChoiceDelta(choice: Record<string, unknown>): void {
    // A finished choice takes nothing more (OpenRouter repeats an empty delta with its usage chunk).
    if (finishWord !== undefined) return
    // `delta` in a stream, `message` in a whole `chat.completion` body.
    const delta = isRecord(choice.delta)
      ? choice.delta
      : isRecord(choice.message)
        ? choice.message
        : undefined
    if (delta !== undefined) {
      append('reasoning', reasoningText(delta))
      content(delta.content)
      const refusal = stringField(delta.refusal)
      if (refusal !== undefined && refusal !== '') {
        refusalSeen = true
        append('refusal', refusal)
      }
      annotations(delta.annotations)
      if (Array.isArray(delta.tool_calls)) for (const entry of delta.tool_calls) toolCallDelta(entry)
      if (isRecord(delta.function_call)) toolCallDelta({ function: delta.function_call }, 'function_call')
    }
    const word = stringField(choice.finish_reason)
    if (word !== undefined && word !== '') {
      closeBlock()
      for (const call of toolCalls.values()) endToolCall(call)
      finishWord = word
    }
  }

  function otherChoiceDelta(index: number, choice: Record<string, unknown>): void {
    let other = otherChoices.get(index)
    if (other === undefined) {
      other = { text: '', finished: false }
      otherChoices.set(index, other)
    }
    if (other.finished) return
    const delta = isRecord(choice.delta)
      ? choice.delta
      : isRecord(choice.message)
        ? choice.message
        : undefined
    if (delta !== undefined) {
      if (typeof delta.content === 'string') other.text += delta.content
      else if (Array.isArray(delta.content)) {
        for (const part of delta.content)
          if (isRecord(part) && part.type === 'text') other.text += stringField(part.text) ?? ''
      }
      other.text += stringField(delta.refusal) ?? ''
    }
    const word = stringField(choice.finish_reason)
    if (word !== undefined && word !== '') {
      other.finished = true
      events.push({
        type: 'data',
        messageId: message.messageId,
        name: 'openai-choice',
        id: `choice-${index}`,
        data: { index, text: other.text, finishReason: finishReasonFromOpenAI(word), rawFinishReason: word },
      })
    }
  }

  function complete(): void {
    closeBlock()
    for (const call of toolCalls.values()) endToolCall(call)
    const end: MessageEndFields = {}
    if (refusalSeen) end.finishReason = 'content-filter'
    else if (finishWord !== undefined) end.finishReason = finishReasonFromOpenAI(finishWord)
    if (finishWord !== undefined) end.rawFinishReason = finishWord
    if (usage !== undefined) end.usage = usage
    message.end(end)
  }

  /** One parsed chunk (or a whole `chat.completion` body). */
  function decodeValue(value: unknown): void {
    if (!isRecord(value)) return
    const error = errorFromOpenAI(value)
    if (error !== undefined) {
      message.fail(error)
      return
    }
    const chunkId = stringField(value.id) || undefined
    const choices = Array.isArray(value.choices) ? value.choices : []
    const chunkUsage =
      usageFromOpenAI(value.usage) ??
      (isRecord(value.x_groq) ? usageFromOpenAI(value.x_groq.usage) : undefined)
    // Azure's first chunk (empty id, no choices, only `prompt_filter_results`) says nothing
    // about the answer; starting the message on it would name it "".
    if (!message.isStarted && chunkId === undefined && choices.length === 0 && chunkUsage === undefined)
      return
    start(chunkId)
    metadata(value)
    citations(value)
    for (const choice of choices) {
      if (!isRecord(choice)) continue
      const index = numberField(choice.index) ?? 0
      if (index === selectedChoice) selectedChoiceDelta(choice)
      else otherChoiceDelta(index, choice)
    }
    if (chunkUsage !== undefined) {
      usage = chunkUsage
      events.push({ type: 'usage', messageId: message.messageId, usage: chunkUsage })
    }
  }

  return createJsonFrameDecoder(message, 'openai-chat', {
    literal(frame: Frame): boolean {
      if (frame.data.trim() === '[DONE]') {
        complete()
        return true
      }
      if (frame.event !== 'error') return false
      // openai-node treats `event: error` as an error whatever the payload holds.
      const parsed = parseJsonFrame(frame.data, 'openai-chat')
      const error = parsed.ok && isRecord(parsed.value) ? errorFromOpenAI(parsed.value) : undefined
      message.fail(
        error ?? {
          message: frame.data.slice(0, 500) || 'The server sent an error event with no message.',
          code: 'server_error',
        },
      )
      return true
    },
    value: decodeValue,
    endOfSource(cutOff) {
      // The model finished; only the trailer (usage chunk, `[DONE]`) was lost.
      if (finishWord !== undefined) {
        complete()
        return
      }
      message.interrupt(
        `The openai-chat stream for message "${message.messageId}" ended ${cutOff ? 'in the middle of a chunk, ' : ''}before "data: [DONE]" and before any finish_reason, so the answer is incomplete. The connection was probably lost or the server stopped; retry the request.`,
      )
    },
    /** A whole non-streaming body ends here: it has no `[DONE]`. */
    endOfBody: complete,
  })
}

/** The `openai-chat` protocol (see the module documentation for every rule). */
export interface OpenAIChatProtocol extends Protocol {
  createDecoder(options?: OpenAIChatDecoderOptions): ProtocolDecoder
  decodeResponse(body: unknown, options?: OpenAIChatDecoderOptions): ChatEvent[]
  decodeError(body: unknown, status: number): MessageError | undefined
}

/**
 * OpenAI Chat Completions and OpenAI-compatible servers: SSE framing, `data: [DONE]` ends.
 *
 * @example
 * ```ts
 * import { collectMessage, openaiChatProtocol } from '@sluice/core'
 * const response = await fetch('/v1/chat/completions', { method: 'POST', body })
 * const message = await collectMessage(response.body!, openaiChatProtocol)
 * ```
 */
export const openaiChatProtocol: OpenAIChatProtocol = {
  id: 'openai-chat',
  framing: 'sse',
  createDecoder(options: OpenAIChatDecoderOptions = {}): ProtocolDecoder {
    return createOpenAIChatDecoder(options)
  },
  /**
   * A whole `chat.completion` body (`stream: false`): its `choices[].message` is read like one
   * big delta, so every server quirk the stream handles is handled here too.
   */
  decodeResponse(body: unknown, options: OpenAIChatDecoderOptions = {}): ChatEvent[] {
    const value =
      typeof body === 'string' ? parseJsonFrame(body, 'openai-chat') : { ok: true as const, value: body }
    return replayJsonBody(createOpenAIChatDecoder(options), [value.ok ? value.value : { error: value.error }])
  },
  /**
   * The error in a non-2xx response body (parsed JSON or text). `code` is the provider's
   * `code`, else its `type`; `status` is the HTTP status.
   */
  decodeError(body: unknown, status: number): MessageError | undefined {
    return decodeErrorBody(body, status, (value) => {
      if (!isRecord(value)) return undefined
      return (
        errorFromOpenAI(value) ??
        (stringField(value.message) ? { message: value.message as string } : undefined)
      )
    })
  },
}
