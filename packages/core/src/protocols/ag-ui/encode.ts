/**
 * {@link ChatEvent}s → AG-UI events, as `@ag-ui/encoder` sends them over SSE
 * (`data: {json}\n\n`, no `event:` line, no `[DONE]`), for mocks.
 *
 * One message is one run: `RUN_STARTED` (thread and run ids from the message-start metadata,
 * else `thread-<messageId>` and the `responseId` option or `run-<messageId>`), then the text,
 * reasoning (`REASONING_*`), tool call, step and state events, then `RUN_FINISHED` (with the
 * usage) or `RUN_ERROR`. Every open text, reasoning and tool call is closed before the run ends,
 * as the spec requires.
 *
 * AG-UI has no words for some events; they are sent the way AG-UI agents usually send them, or
 * not at all: a tool error becomes the tool's result text, sources and files become `CUSTOM`
 * events named `source` and `file`, data parts other than `state` and `messages` become `CUSTOM`
 * events, and `tool-running`, `metadata`, the finish reason, `message-abort` (the client cancels
 * by closing the request) and `message-interrupt` (the stream just stops) send nothing.
 *
 * @example
 * ```ts
 * import { agUiCodec } from '@sluice/core/encoders'
 * const encoder = agUiCodec.createEncoder()
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 'msg-1', delta: 'Hi' })
 * // → RUN_STARTED, TEXT_MESSAGE_START, TEXT_MESSAGE_CONTENT frames
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'

/** Per-run state of the AG-UI encoder. */
class AgUiEncoderState {
  private threadId = ''
  private runId = ''
  private started = false
  private closed = false
  private readonly openText = new Set<string>()
  private readonly openReasoning = new Set<string>()
  private readonly toolCalls = new Map<string, { argsSent: boolean; ended: boolean }>()
  private readonly openSteps: string[] = []
  private stepCount = 0
  private usage: Usage | undefined
  private frames: Frame[] = []

  constructor(private readonly options: EncoderOptions | undefined) {}

  encode(event: ChatEvent): Frame[] {
    if (this.closed) return []
    if (event.type === 'message-interrupt' || event.type === 'message-abort') {
      // Neither has an AG-UI event: the connection just ends.
      this.closed = true
      return []
    }
    this.ensureStarted(event)
    switch (event.type) {
      case 'message-start':
        break
      case 'message-end': {
        this.closeAll()
        const usage = event.usage === undefined ? this.usage : { ...this.usage, ...event.usage }
        const runFinished: Record<string, unknown> = {
          type: 'RUN_FINISHED',
          threadId: this.threadId,
          runId: this.runId,
        }
        if (usage !== undefined) runFinished.usage = [usage]
        this.send(runFinished)
        this.closed = true
        break
      }
      case 'message-error': {
        const runError: Record<string, unknown> = { type: 'RUN_ERROR', message: event.error.message }
        if (event.error.code !== undefined) runError.code = event.error.code
        this.send(runError)
        this.closed = true
        break
      }
      case 'text-start':
        this.openTextMessage(event.id)
        break
      case 'text-delta':
        this.openTextMessage(event.id)
        // Older `@ag-ui/core` schemas reject an empty delta.
        if (event.delta !== '')
          this.send({ type: 'TEXT_MESSAGE_CONTENT', messageId: event.id, delta: event.delta })
        break
      case 'text-end':
        this.openTextMessage(event.id)
        this.closeText(event.id)
        break
      case 'reasoning-start':
        this.openReasoningMessage(event.id)
        break
      case 'reasoning-delta':
        this.openReasoningMessage(event.id)
        if (event.delta !== '')
          this.send({ type: 'REASONING_MESSAGE_CONTENT', messageId: event.id, delta: event.delta })
        break
      case 'reasoning-end':
        this.openReasoningMessage(event.id)
        this.closeReasoning(event.id, event.signature)
        break
      case 'tool-call-start':
        this.openToolCall(event.toolCallId, event.toolName)
        break
      case 'tool-call-delta': {
        const call = this.openToolCall(event.toolCallId, '')
        if (event.delta !== '') {
          call.argsSent = true
          this.send({ type: 'TOOL_CALL_ARGS', toolCallId: event.toolCallId, delta: event.delta })
        }
        break
      }
      case 'tool-call-end': {
        const call = this.openToolCall(event.toolCallId, event.toolName ?? '')
        if (call.ended) break
        // AG-UI carries arguments only as text: send whole input when nothing was streamed.
        const argumentsText =
          event.inputText ?? (event.input === undefined ? undefined : JSON.stringify(event.input))
        if (!call.argsSent && argumentsText !== undefined && argumentsText !== '') {
          call.argsSent = true
          this.send({ type: 'TOOL_CALL_ARGS', toolCallId: event.toolCallId, delta: argumentsText })
        }
        this.closeToolCall(event.toolCallId)
        break
      }
      case 'tool-running':
        break
      case 'tool-result':
      case 'tool-error': {
        const content =
          event.type === 'tool-error'
            ? event.errorText
            : typeof event.output === 'string'
              ? event.output
              : JSON.stringify(event.output ?? null)
        if (this.toolCalls.get(event.toolCallId)?.ended === false) this.closeToolCall(event.toolCallId)
        this.send({
          type: 'TOOL_CALL_RESULT',
          messageId: `${event.toolCallId}-result`,
          toolCallId: event.toolCallId,
          content,
          role: 'tool',
        })
        break
      }
      case 'step-start': {
        this.stepCount++
        const stepName = event.stepId ?? `step-${this.stepCount}`
        this.openSteps.push(stepName)
        this.send({ type: 'STEP_STARTED', stepName })
        break
      }
      case 'step-end': {
        const stepName = event.stepId ?? this.openSteps.at(-1)
        if (stepName === undefined) break
        const index = this.openSteps.lastIndexOf(stepName)
        if (index !== -1) this.openSteps.splice(index, 1)
        this.send({ type: 'STEP_FINISHED', stepName })
        break
      }
      case 'data':
        if (event.name === 'state') this.send({ type: 'STATE_SNAPSHOT', snapshot: event.data })
        else if (event.name === 'messages') this.send({ type: 'MESSAGES_SNAPSHOT', messages: event.data })
        else this.send({ type: 'CUSTOM', name: event.name, value: event.data })
        break
      case 'source': {
        const value: Record<string, unknown> = { url: event.url }
        if (event.title !== undefined) value.title = event.title
        if (event.sourceId !== undefined) value.sourceId = event.sourceId
        this.send({ type: 'CUSTOM', name: 'source', value })
        break
      }
      case 'file': {
        const value: Record<string, unknown> = { url: event.url, mediaType: event.mediaType }
        if (event.name !== undefined) value.name = event.name
        this.send({ type: 'CUSTOM', name: 'file', value })
        break
      }
      case 'usage':
        this.usage = { ...this.usage, ...event.usage }
        break
      case 'metadata':
        break
      default: {
        const unknown: never = event
        throw new TypeError(
          `The ag-ui encoder received an event of unknown type ${JSON.stringify((unknown as { type: unknown }).type)}. Pass only ChatEvent types.`,
        )
      }
    }
    return this.take()
  }

  end(): Frame[] {
    return []
  }

  private ensureStarted(event: ChatEvent): void {
    if (this.started) return
    this.started = true
    const metadata = event.type === 'message-start' ? event.metadata : undefined
    const threadId = metadata?.threadId
    const runId = metadata?.runId
    this.threadId = typeof threadId === 'string' ? threadId : `thread-${event.messageId}`
    this.runId = typeof runId === 'string' ? runId : (this.options?.responseId ?? `run-${event.messageId}`)
    this.send({ type: 'RUN_STARTED', threadId: this.threadId, runId: this.runId })
  }

  private openTextMessage(id: string): void {
    if (this.openText.has(id)) return
    this.openText.add(id)
    this.send({ type: 'TEXT_MESSAGE_START', messageId: id, role: 'assistant' })
  }

  private closeText(id: string): void {
    this.openText.delete(id)
    this.send({ type: 'TEXT_MESSAGE_END', messageId: id })
  }

  private openReasoningMessage(id: string): void {
    if (this.openReasoning.has(id)) return
    this.openReasoning.add(id)
    this.send({ type: 'REASONING_START', messageId: id })
    this.send({ type: 'REASONING_MESSAGE_START', messageId: id, role: 'reasoning' })
  }

  private closeReasoning(id: string, signature: string | undefined): void {
    this.openReasoning.delete(id)
    this.send({ type: 'REASONING_MESSAGE_END', messageId: id })
    if (signature !== undefined) {
      this.send({
        type: 'REASONING_ENCRYPTED_VALUE',
        subtype: 'message',
        entityId: id,
        encryptedValue: signature,
      })
    }
    this.send({ type: 'REASONING_END', messageId: id })
  }

  private openToolCall(toolCallId: string, toolName: string): { argsSent: boolean; ended: boolean } {
    const known = this.toolCalls.get(toolCallId)
    if (known !== undefined) return known
    const call = { argsSent: false, ended: false }
    this.toolCalls.set(toolCallId, call)
    this.send({ type: 'TOOL_CALL_START', toolCallId, toolCallName: toolName })
    return call
  }

  private closeToolCall(toolCallId: string): void {
    const call = this.toolCalls.get(toolCallId)
    if (call === undefined || call.ended) return
    call.ended = true
    this.send({ type: 'TOOL_CALL_END', toolCallId })
  }

  /** The spec: every text, reasoning and tool call closes before the run finishes. */
  private closeAll(): void {
    for (const id of this.openText) this.closeText(id)
    for (const id of this.openReasoning) this.closeReasoning(id, undefined)
    for (const [toolCallId, call] of this.toolCalls) if (!call.ended) this.closeToolCall(toolCallId)
    while (this.openSteps.length > 0) this.send({ type: 'STEP_FINISHED', stepName: this.openSteps.pop() })
  }

  private send(event: Record<string, unknown>): void {
    this.frames.push({ data: JSON.stringify(event) })
  }

  private take(): Frame[] {
    const frames = this.frames
    this.frames = []
    return frames
  }
}

/**
 * An encoder for one AG-UI run.
 *
 * @example
 * ```ts
 * const encoder = createAgUiEncoder({ responseId: 'run-1' })
 * encoder.encode({ type: 'message-start', messageId: 'm1' }) // [{ data: '{"type":"RUN_STARTED","threadId":"thread-m1","runId":"run-1"}' }]
 * ```
 */
export function createAgUiEncoder(options?: EncoderOptions): ProtocolEncoder {
  const state = new AgUiEncoderState(options)
  return { encode: (event) => state.encode(event), end: () => state.end() }
}

/**
 * The encode direction of AG-UI: the events an AG-UI agent streams for the same run. An HTTP
 * error body is `{ "error": message }`.
 *
 * @example
 * ```ts
 * import { agUiCodec } from '@sluice/core/encoders'
 * const encoder = agUiCodec.createEncoder()
 * ```
 */
export const agUiCodec: ProtocolCodec = {
  id: 'ag-ui',
  framing: 'sse',
  createEncoder: createAgUiEncoder,
  encodeError: (_status, message, options) =>
    options?.code === undefined ? { error: message } : { error: message, code: options.code },
}
