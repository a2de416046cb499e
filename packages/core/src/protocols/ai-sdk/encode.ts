/**
 * {@link ChatEvent}s → the AI SDK UI message stream (v1) chunks, as `toUIMessageStreamResponse()`
 * sends them (for mocks): `data: {json}` SSE events with the SDK's field order, then
 * `data: [DONE]`.
 *
 * What the SDK's stream cannot say is dropped: `tool-running` (the SDK has no such chunk),
 * `text-end.text` (no authoritative-text field), a data part's replacement of a source document
 * or approval request (they go out as `data-*` chunks). Usage is sent as message metadata under
 * `usage`, the convention the decoder reads back.
 *
 * @example
 * ```ts
 * import { aiSdkCodec } from '@sluice/core/encoders'
 * const encoder = aiSdkCodec.createEncoder()
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' })
 * // → [{ data: '{"type":"start"}' }, { data: '{"type":"text-start","id":"t"}' }, { data: '{"type":"text-delta","id":"t","delta":"Hi"}' }]
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'

/**
 * The headers the AI SDK sends with a UI message stream (`UI_MESSAGE_STREAM_HEADERS`).
 * `useChat` only reads the body, but other clients check `x-vercel-ai-ui-message-stream`.
 *
 * @example
 * ```ts
 * new Response(body, { headers: aiSdkResponseHeaders })
 * ```
 */
export const aiSdkResponseHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
})

/** Per-response state of the AI SDK encoder. */
class AiSdkEncoderState {
  private started = false
  /** Set once the stream is over: `[DONE]` follows unless it was cut off (interrupt). */
  private closed: 'no' | 'done' | 'cut' = 'no'
  private readonly openText = new Set<string>()
  private readonly openReasoning = new Set<string>()
  private readonly toolCalls = new Map<
    string,
    { toolName: string; inputText: string; providerExecuted?: boolean; ended: boolean }
  >()
  private sourceCount = 0
  private frames: Frame[] = []

  constructor(private readonly options: EncoderOptions | undefined) {}

  encode(event: ChatEvent): Frame[] {
    if (this.closed !== 'no') return []
    if (event.type === 'message-interrupt') {
      // A cut-off stream: the server sends nothing more, not even `[DONE]`.
      this.closed = 'cut'
      return []
    }
    this.ensureStarted(event.type === 'message-start' ? event.metadata : undefined)
    switch (event.type) {
      case 'message-start':
        break
      case 'message-end': {
        this.closeBlocks()
        const metadata: Record<string, unknown> = { ...event.metadata }
        if (event.usage !== undefined) metadata.usage = usageToLanguageModelUsage(event.usage)
        const chunk: Record<string, unknown> = { type: 'finish' }
        if (event.finishReason !== undefined) chunk.finishReason = event.finishReason
        if (Object.keys(metadata).length > 0) chunk.messageMetadata = metadata
        this.send(chunk)
        this.closed = 'done'
        break
      }
      case 'message-error':
        this.send({ type: 'error', errorText: event.error.message })
        this.closed = 'done'
        break
      case 'message-abort':
        this.send({ type: 'abort' })
        this.closed = 'done'
        break
      case 'text-start':
        this.openBlock('text', event.id)
        break
      case 'text-delta':
        this.openBlock('text', event.id)
        if (event.delta !== '') this.send({ type: 'text-delta', id: event.id, delta: event.delta })
        break
      case 'text-end':
        this.openBlock('text', event.id)
        this.send({ type: 'text-end', id: event.id })
        this.openText.delete(event.id)
        break
      case 'reasoning-start':
        this.openBlock('reasoning', event.id)
        break
      case 'reasoning-delta':
        this.openBlock('reasoning', event.id)
        if (event.delta !== '') this.send({ type: 'reasoning-delta', id: event.id, delta: event.delta })
        break
      case 'reasoning-end':
        this.openBlock('reasoning', event.id)
        if (event.signature !== undefined) {
          // How `@ai-sdk/anthropic` forwards a thinking signature (see the extended-thinking fixture).
          this.send({
            type: 'reasoning-delta',
            id: event.id,
            delta: '',
            providerMetadata: { anthropic: { signature: event.signature } },
          })
        }
        this.send({ type: 'reasoning-end', id: event.id })
        this.openReasoning.delete(event.id)
        break
      case 'tool-call-start': {
        if (this.toolCalls.has(event.toolCallId)) break
        const call: { toolName: string; inputText: string; providerExecuted?: boolean; ended: boolean } = {
          toolName: event.toolName,
          inputText: '',
          ended: false,
        }
        const chunk: Record<string, unknown> = {
          type: 'tool-input-start',
          toolCallId: event.toolCallId,
          toolName: event.toolName,
        }
        if (event.providerExecuted !== undefined) {
          call.providerExecuted = event.providerExecuted
          chunk.providerExecuted = event.providerExecuted
        }
        this.toolCalls.set(event.toolCallId, call)
        this.send(chunk)
        break
      }
      case 'tool-call-delta': {
        const call = this.toolCalls.get(event.toolCallId)
        if (call !== undefined) call.inputText += event.delta
        if (event.delta !== '') {
          this.send({ type: 'tool-input-delta', toolCallId: event.toolCallId, inputTextDelta: event.delta })
        }
        break
      }
      case 'tool-call-end':
        this.endToolInput(event)
        break
      case 'tool-running':
        // The UI message stream has no "running" chunk: the SDK goes from input to output.
        break
      case 'tool-result': {
        const chunk: Record<string, unknown> = {
          type: 'tool-output-available',
          toolCallId: event.toolCallId,
          // The SDK sends null for an undefined output so the field survives JSON.
          output: event.output === undefined ? null : event.output,
        }
        const providerExecuted = this.toolCalls.get(event.toolCallId)?.providerExecuted
        if (providerExecuted !== undefined) chunk.providerExecuted = providerExecuted
        this.send(chunk)
        break
      }
      case 'tool-error': {
        const chunk: Record<string, unknown> = {
          type: 'tool-output-error',
          toolCallId: event.toolCallId,
          errorText: event.errorText,
        }
        const providerExecuted = this.toolCalls.get(event.toolCallId)?.providerExecuted
        if (providerExecuted !== undefined) chunk.providerExecuted = providerExecuted
        this.send(chunk)
        break
      }
      case 'step-start':
        this.send({ type: 'start-step' })
        break
      case 'step-end':
        // The SDK ends every text and reasoning block before the step's `finish-step`.
        this.closeBlocks()
        this.send({ type: 'finish-step' })
        break
      case 'source': {
        this.sourceCount++
        const chunk: Record<string, unknown> = {
          type: 'source-url',
          sourceId: event.sourceId ?? `source-${this.sourceCount}`,
          url: event.url,
        }
        if (event.title !== undefined) chunk.title = event.title
        this.send(chunk)
        break
      }
      case 'file':
        this.send({ type: 'file', mediaType: event.mediaType, url: event.url })
        break
      case 'data': {
        const chunk: Record<string, unknown> = { type: `data-${event.name}` }
        if (event.id !== undefined) chunk.id = event.id
        chunk.data = event.data
        this.send(chunk)
        break
      }
      case 'usage':
        this.send({
          type: 'message-metadata',
          messageMetadata: { usage: usageToLanguageModelUsage(event.usage) },
        })
        break
      case 'metadata':
        this.send({ type: 'message-metadata', messageMetadata: event.metadata })
        break
      default: {
        const unknown: never = event
        throw new TypeError(
          `The ai-sdk encoder received an event of unknown type ${JSON.stringify((unknown as { type: unknown }).type)}. Pass only ChatEvent types.`,
        )
      }
    }
    return this.take()
  }

  end(): Frame[] {
    if (this.closed === 'cut') return []
    this.ensureStarted(undefined)
    // `JsonToSseTransformStream` always flushes `[DONE]`, also after an error or abort.
    this.frames.push({ data: '[DONE]' })
    this.closed = 'done'
    return this.take()
  }

  private ensureStarted(metadata: Record<string, unknown> | undefined): void {
    if (this.started) return
    this.started = true
    const chunk: Record<string, unknown> = { type: 'start' }
    if (metadata !== undefined) chunk.messageMetadata = metadata
    if (this.options?.responseId !== undefined) chunk.messageId = this.options.responseId
    this.send(chunk)
  }

  private openBlock(kind: 'text' | 'reasoning', id: string): void {
    const open = kind === 'text' ? this.openText : this.openReasoning
    if (open.has(id)) return
    open.add(id)
    this.send({ type: `${kind}-start`, id })
  }

  private closeBlocks(): void {
    for (const id of this.openReasoning) this.send({ type: 'reasoning-end', id })
    for (const id of this.openText) this.send({ type: 'text-end', id })
    this.openReasoning.clear()
    this.openText.clear()
  }

  private endToolInput(event: ChatEvent & { type: 'tool-call-end' }): void {
    const known = this.toolCalls.get(event.toolCallId)
    const call = known ?? { toolName: event.toolName ?? '', inputText: '', ended: false }
    if (known === undefined) this.toolCalls.set(event.toolCallId, call)
    if (call.ended) return
    call.ended = true
    if (event.providerExecuted !== undefined) call.providerExecuted = event.providerExecuted
    const toolName = event.toolName ?? call.toolName
    let input = event.input
    if (input === undefined) {
      const inputText = event.inputText ?? call.inputText
      try {
        input = inputText.trim() === '' ? {} : (JSON.parse(inputText) as unknown)
      } catch (cause) {
        // What `streamText` sends when the model's input does not parse.
        const chunk: Record<string, unknown> = {
          type: 'tool-input-error',
          toolCallId: event.toolCallId,
          toolName,
          input: inputText,
        }
        if (call.providerExecuted !== undefined) chunk.providerExecuted = call.providerExecuted
        chunk.errorText = `Invalid input for tool ${toolName}: ${(cause as Error).message}`
        this.send(chunk)
        return
      }
    }
    const chunk: Record<string, unknown> = {
      type: 'tool-input-available',
      toolCallId: event.toolCallId,
      toolName,
      input,
    }
    if (call.providerExecuted !== undefined) chunk.providerExecuted = call.providerExecuted
    this.send(chunk)
  }

  private send(chunk: Record<string, unknown>): void {
    this.frames.push({ data: JSON.stringify(chunk) })
  }

  private take(): Frame[] {
    const frames = this.frames
    this.frames = []
    return frames
  }
}

/** Sluice usage as the SDK's `LanguageModelUsage` fields (the ones Sluice knows). */
function usageToLanguageModelUsage(usage: Usage): Record<string, number> {
  const result: Record<string, number> = {}
  if (usage.inputTokens !== undefined) result.inputTokens = usage.inputTokens
  if (usage.outputTokens !== undefined) result.outputTokens = usage.outputTokens
  if (usage.totalTokens !== undefined) result.totalTokens = usage.totalTokens
  if (usage.reasoningTokens !== undefined) result.reasoningTokens = usage.reasoningTokens
  if (usage.cachedInputTokens !== undefined) result.cachedInputTokens = usage.cachedInputTokens
  return result
}

/**
 * An encoder for one AI SDK UI message stream response.
 *
 * @example
 * ```ts
 * const encoder = createAiSdkEncoder({ responseId: 'msg-1' })
 * encoder.encode({ type: 'message-start', messageId: 'm1' }) // [{ data: '{"type":"start","messageId":"msg-1"}' }]
 * ```
 */
export function createAiSdkEncoder(options?: EncoderOptions): ProtocolEncoder {
  const state = new AiSdkEncoderState(options)
  return { encode: (event) => state.encode(event), end: () => state.end() }
}

/**
 * The encode direction of the AI SDK UI message stream: the chunks `toUIMessageStreamResponse()`
 * emits, then `data: [DONE]`; an HTTP error body is plain text, which `useChat` shows as the
 * error. Send {@link aiSdkResponseHeaders} with the body.
 *
 * @example
 * ```ts
 * import { aiSdkCodec } from '@sluice/core/encoders'
 * const encoder = aiSdkCodec.createEncoder()
 * ```
 */
export const aiSdkCodec: ProtocolCodec = {
  id: 'ai-sdk',
  framing: 'sse',
  createEncoder: createAiSdkEncoder,
  encodeError: (_status, message) => message,
}
