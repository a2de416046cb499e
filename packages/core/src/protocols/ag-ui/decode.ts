/**
 * AG-UI events (SSE, `data: {json}` per event, no `[DONE]`) → `ChatEvent`s.
 *
 * Field names follow `@ag-ui/core` (ag-ui-protocol/ag-ui `sdks/typescript/packages/core`) and
 * docs.ag-ui.com. One AG-UI **run** becomes one Sluice assistant message:
 * - The message id is the caller's (the controller's placeholder), else the run id, else
 *   `ag-ui-message`.
 * - Every assistant text message of the run (`TEXT_MESSAGE_START` with its own `messageId`)
 *   becomes a text part of that one message, with the AG-UI message id as the part id, so a run
 *   that speaks, calls a tool and speaks again renders as one answer in order. Text messages with
 *   another role (`user`, `system`, `developer`) are not the assistant's answer and are skipped.
 * - Reasoning: `REASONING_MESSAGE_*` (and `REASONING_MESSAGE_CHUNK`) by message id, and the older
 *   `THINKING_TEXT_MESSAGE_*`, which has no id (`thinking-1`, `thinking-2`, …). The span events
 *   (`REASONING_START/END`, `THINKING_START/END`) carry nothing to show. A
 *   `REASONING_ENCRYPTED_VALUE` for a reasoning message becomes that part's signature.
 * - `TOOL_CALL_RESULT.content` (a string, or content parts) is the tool's output as sent.
 * - `STATE_SNAPSHOT` and `STATE_DELTA` keep one data part `state` (id `state`) current (the delta
 *   is applied as RFC 6902 JSON Patch; a patch that does not apply is skipped, as AG-UI clients
 *   do). `MESSAGES_SNAPSHOT` is a data part `messages`; `CUSTOM {name, value}` a data part `name`.
 * - `RUN_FINISHED` ends the message: finish reason `tool-calls` when a tool call of the run is
 *   still unanswered (the client runs it and starts a new run), `other` for an `interrupt`
 *   outcome, else `stop`; its `usage` entries are summed. `RUN_ERROR` is a `message-error`.
 * - A second run in the same stream (`RUN_FINISHED`, then `RUN_STARTED`) continues the same
 *   message: it reopens (a new `message-start`), its parts follow the first run's, and its
 *   `RUN_FINISHED` ends the message again, with the usage of both runs.
 * - Content for a text, reasoning or tool call id that was never started is an error (the AG-UI
 *   client's verifier rejects it too). `*_CHUNK` events open what they name, as the spec allows.
 * - `RAW`, `ACTIVITY_*`, `SUBAGENT_*` and unknown types are no-ops; events after the run ended
 *   are ignored.
 *
 * @example
 * ```ts
 * import { agUiProtocol } from '@sluice/core'
 * const decoder = agUiProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"type":"RUN_STARTED","threadId":"t1","runId":"r1"}' })
 * // [{ type: 'message-start', messageId: 'm1', role: 'assistant', metadata: { threadId: 't1', runId: 'r1' } }]
 * ```
 * @module
 */
import type { MessageError, Usage } from '../../message.ts'
import type { DecoderOptions, Protocol, ProtocolDecoder } from '../../protocol.ts'
import { isRecord, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  type MessageEmitter,
  type MessageEndFields,
} from '../shared/index.ts'
import { applyJsonPatch } from './apply-json-patch.ts'
import { errorFromAgUiResponse, sumUsage, usageFromAgUi } from './usage-and-error.ts'

/** The message id used when neither the caller nor the run gives one. */
export const agUiDefaultMessageId = 'ag-ui-message'

/** Per-run state of the AG-UI decoder. */
class AgUiDecoderState {
  readonly message: MessageEmitter
  private readonly events: MessageEmitter
  /** The usage of the runs that finished, summed into the next run's end. */
  private finishedUsage: Usage | undefined
  private readonly openText = new Set<string>()
  private readonly skippedText = new Set<string>()
  private readonly openReasoning = new Set<string>()
  private readonly knownReasoning = new Set<string>()
  /** Tool calls of this run: whether their result came. */
  private toolCalls = new Map<string, { ended: boolean; answered: boolean }>()
  /** The text, reasoning or tool call a `*_CHUNK` event opened, closed by the next other event. */
  private chunkText: string | undefined
  private chunkReasoning: string | undefined
  private chunkTool: string | undefined
  private thinkingCount = 0
  private thinking: string | undefined
  private chunkCount = 0
  private state: unknown = {}

  constructor(options: DecoderOptions | undefined) {
    this.message = createMessageEmitter({
      messageId: options?.messageId,
      fallbackMessageId: agUiDefaultMessageId,
    })
    this.events = this.message
  }

  value(event: unknown): void {
    if (!isRecord(event)) return
    const type = stringField(event.type)
    if (type === undefined) return
    // After RUN_FINISHED only a new run continues the stream; anything else is ignored.
    if (this.message.isComplete && type !== 'RUN_STARTED') return
    this.closeChunks(type)
    this.apply(type, event)
  }

  end(cutOff: boolean): void {
    const messageId = this.ensureStarted()
    this.message.interrupt(
      `The ag-ui stream for message "${messageId}" ended ${cutOff ? 'in the middle of an event ' : ''}before RUN_FINISHED or RUN_ERROR, so the answer is incomplete. The connection was probably lost or the agent stopped; retry the run.`,
    )
  }

  private apply(type: string, event: Record<string, unknown>): void {
    if (type.startsWith('RUN_') || type.startsWith('STEP_')) this.applyRun(type, event)
    else if (type.startsWith('TEXT_MESSAGE_')) this.applyText(type, event)
    else if (type.startsWith('REASONING_') || type.startsWith('THINKING_')) this.applyReasoning(type, event)
    else if (type.startsWith('TOOL_CALL_')) this.applyTool(type, event)
    else this.applyData(type, event)
  }

  /** A run and its steps: RUN_*, STEP_*. */
  private applyRun(type: string, event: Record<string, unknown>): void {
    switch (type) {
      case 'RUN_STARTED': {
        this.message.useWireId(stringField(event.runId))
        const metadata: Record<string, unknown> = {}
        for (const key of ['threadId', 'runId', 'parentRunId'] as const) {
          const value = stringField(event[key])
          if (value !== undefined) metadata[key] = value
        }
        if (this.message.isComplete) {
          // The next run of the same stream: its tool calls are its own.
          this.toolCalls = new Map()
          this.message.reopen(metadata)
        } else if (!this.message.isStarted) {
          this.message.start(metadata)
        } else if (Object.keys(metadata).length > 0) {
          this.events.push({ type: 'metadata', messageId: this.message.messageId, metadata })
        }
        return
      }
      case 'RUN_FINISHED':
        this.finishRun(event)
        return
      case 'RUN_ERROR': {
        const message = stringField(event.message)
        const code = stringField(event.code)
        const error: MessageError = {
          message:
            message === undefined || message === ''
              ? 'The agent run failed without an error message.'
              : message,
        }
        if (code !== undefined) error.code = code
        this.fail(error)
        return
      }
      case 'STEP_STARTED':
      case 'STEP_FINISHED': {
        const messageId = this.ensureStarted()
        const stepName = stringField(event.stepName)
        const stepType = type === 'STEP_STARTED' ? 'step-start' : 'step-end'
        this.events.push(
          stepName === undefined
            ? { type: stepType, messageId }
            : { type: stepType, messageId, stepId: stepName },
        )
        return
      }
      default:
        // Newer types of this family are no-ops.
        return
    }
  }

  /** Text messages: TEXT_MESSAGE_*. */
  private applyText(type: string, event: Record<string, unknown>): void {
    switch (type) {
      case 'TEXT_MESSAGE_START': {
        const id = stringField(event.messageId)
        if (id === undefined) return
        const role = stringField(event.role)
        if (role !== undefined && role !== 'assistant') {
          this.skippedText.add(id)
          return
        }
        this.startText(id)
        return
      }
      case 'TEXT_MESSAGE_CONTENT': {
        const id = stringField(event.messageId)
        if (id === undefined || this.skippedText.has(id)) return
        if (!this.openText.has(id)) {
          this.missingStart(type, 'text message', id, 'TEXT_MESSAGE_START')
          return
        }
        this.textDelta(id, stringField(event.delta) ?? '')
        return
      }
      case 'TEXT_MESSAGE_END': {
        const id = stringField(event.messageId)
        if (id === undefined) return
        if (this.skippedText.delete(id)) return
        if (!this.openText.has(id)) {
          this.missingStart(type, 'text message', id, 'TEXT_MESSAGE_START')
          return
        }
        this.endText(id)
        return
      }
      case 'TEXT_MESSAGE_CHUNK': {
        const role = stringField(event.role)
        const id = stringField(event.messageId) ?? this.chunkText ?? `text-chunk-${++this.chunkCount}`
        if ((role !== undefined && role !== 'assistant') || this.skippedText.has(id)) {
          this.skippedText.add(id)
          return
        }
        if (id !== this.chunkText && this.chunkText !== undefined) this.endText(this.chunkText)
        if (!this.openText.has(id)) this.startText(id)
        this.chunkText = id
        this.textDelta(id, stringField(event.delta) ?? '')
        return
      }
      default:
        // Newer types of this family are no-ops.
        return
    }
  }

  /** Reasoning: REASONING_MESSAGE_*, REASONING_ENCRYPTED_VALUE and the older THINKING_*. */
  private applyReasoning(type: string, event: Record<string, unknown>): void {
    switch (type) {
      case 'REASONING_MESSAGE_START': {
        const id = stringField(event.messageId)
        if (id !== undefined) this.startReasoning(id)
        return
      }
      case 'REASONING_MESSAGE_CONTENT': {
        const id = stringField(event.messageId)
        if (id === undefined) return
        if (!this.openReasoning.has(id)) {
          this.missingStart(type, 'reasoning message', id, 'REASONING_MESSAGE_START')
          return
        }
        this.reasoningDelta(id, stringField(event.delta) ?? '')
        return
      }
      case 'REASONING_MESSAGE_END': {
        const id = stringField(event.messageId)
        if (id === undefined) return
        if (!this.openReasoning.has(id)) {
          this.missingStart(type, 'reasoning message', id, 'REASONING_MESSAGE_START')
          return
        }
        this.endReasoning(id)
        return
      }
      case 'REASONING_MESSAGE_CHUNK': {
        const id =
          stringField(event.messageId) ?? this.chunkReasoning ?? `reasoning-chunk-${++this.chunkCount}`
        if (id !== this.chunkReasoning && this.chunkReasoning !== undefined)
          this.endReasoning(this.chunkReasoning)
        if (!this.openReasoning.has(id)) this.startReasoning(id)
        this.chunkReasoning = id
        this.reasoningDelta(id, stringField(event.delta) ?? '')
        return
      }
      case 'REASONING_ENCRYPTED_VALUE': {
        const entityId = stringField(event.entityId)
        const encryptedValue = stringField(event.encryptedValue)
        if (event.subtype !== 'message' || entityId === undefined || encryptedValue === undefined) return
        if (!this.knownReasoning.has(entityId)) return
        this.openReasoning.delete(entityId)
        this.events.push({
          type: 'reasoning-end',
          messageId: this.ensureStarted(),
          id: entityId,
          signature: encryptedValue,
        })
        return
      }
      case 'THINKING_TEXT_MESSAGE_START': {
        this.thinkingCount++
        this.thinking = `thinking-${this.thinkingCount}`
        this.startReasoning(this.thinking)
        return
      }
      case 'THINKING_TEXT_MESSAGE_CONTENT': {
        if (this.thinking === undefined) {
          this.missingStart(type, 'thinking message', '(none)', 'THINKING_TEXT_MESSAGE_START')
          return
        }
        this.reasoningDelta(this.thinking, stringField(event.delta) ?? '')
        return
      }
      case 'THINKING_TEXT_MESSAGE_END': {
        if (this.thinking === undefined) return
        this.endReasoning(this.thinking)
        this.thinking = undefined
        return
      }
      default:
        // Newer types of this family are no-ops.
        return
    }
  }

  /** Tool calls: TOOL_CALL_*. */
  private applyTool(type: string, event: Record<string, unknown>): void {
    switch (type) {
      case 'TOOL_CALL_START': {
        const toolCallId = stringField(event.toolCallId)
        if (toolCallId !== undefined) this.startTool(toolCallId, stringField(event.toolCallName) ?? '')
        return
      }
      case 'TOOL_CALL_ARGS': {
        const toolCallId = stringField(event.toolCallId)
        if (toolCallId === undefined) return
        if (!this.toolCalls.has(toolCallId)) {
          this.missingStart(type, 'tool call', toolCallId, 'TOOL_CALL_START')
          return
        }
        this.toolDelta(toolCallId, stringField(event.delta) ?? '')
        return
      }
      case 'TOOL_CALL_END': {
        const toolCallId = stringField(event.toolCallId)
        if (toolCallId === undefined) return
        if (!this.toolCalls.has(toolCallId)) {
          this.missingStart(type, 'tool call', toolCallId, 'TOOL_CALL_START')
          return
        }
        this.endTool(toolCallId)
        return
      }
      case 'TOOL_CALL_CHUNK': {
        const toolCallId =
          stringField(event.toolCallId) ?? this.chunkTool ?? `tool-call-chunk-${++this.chunkCount}`
        if (toolCallId !== this.chunkTool && this.chunkTool !== undefined) this.endTool(this.chunkTool)
        if (!this.toolCalls.has(toolCallId)) this.startTool(toolCallId, stringField(event.toolCallName) ?? '')
        this.chunkTool = toolCallId
        this.toolDelta(toolCallId, stringField(event.delta) ?? '')
        return
      }
      case 'TOOL_CALL_RESULT': {
        const toolCallId = stringField(event.toolCallId)
        if (toolCallId === undefined) return
        // An unknown id is not an error: a frontend tool's result may answer a call of an earlier run.
        const call = this.toolCalls.get(toolCallId)
        if (call !== undefined) call.answered = true
        this.events.push({
          type: 'tool-result',
          messageId: this.ensureStarted(),
          toolCallId,
          output: event.content,
        })
        return
      }
      default:
        // Newer types of this family are no-ops.
        return
    }
  }

  /** State, messages and custom events, and every type Sluice does not read. */
  private applyData(type: string, event: Record<string, unknown>): void {
    switch (type) {
      case 'STATE_SNAPSHOT':
        this.state = event.snapshot
        this.events.push({
          type: 'data',
          messageId: this.ensureStarted(),
          name: 'state',
          id: 'state',
          data: this.state,
        })
        return
      case 'STATE_DELTA': {
        if (!Array.isArray(event.delta)) return
        try {
          this.state = applyJsonPatch(this.state, event.delta)
        } catch {
          // A patch against a state this client never saw: skipped, the next snapshot resyncs.
          return
        }
        this.events.push({
          type: 'data',
          messageId: this.ensureStarted(),
          name: 'state',
          id: 'state',
          data: this.state,
        })
        return
      }
      case 'MESSAGES_SNAPSHOT':
        this.events.push({
          type: 'data',
          messageId: this.ensureStarted(),
          name: 'messages',
          id: 'messages',
          data: event.messages,
        })
        return
      case 'CUSTOM': {
        const name = stringField(event.name)
        if (name === undefined || name === '') return
        this.events.push({ type: 'data', messageId: this.ensureStarted(), name, data: event.value })
        return
      }
      default:
        // RAW, ACTIVITY_*, SUBAGENT_*, REASONING_START/END, THINKING_START/END and newer types.
        return
    }
  }

  /** The AG-UI client closes what a `*_CHUNK` event opened as soon as another kind of event comes. */
  private closeChunks(type: string): void {
    if (this.chunkText !== undefined && type !== 'TEXT_MESSAGE_CHUNK') {
      if (this.openText.has(this.chunkText)) this.endText(this.chunkText)
      this.chunkText = undefined
    }
    if (this.chunkReasoning !== undefined && type !== 'REASONING_MESSAGE_CHUNK') {
      if (this.openReasoning.has(this.chunkReasoning)) this.endReasoning(this.chunkReasoning)
      this.chunkReasoning = undefined
    }
    if (this.chunkTool !== undefined && type !== 'TOOL_CALL_CHUNK') {
      if (this.toolCalls.get(this.chunkTool)?.ended === false) this.endTool(this.chunkTool)
      this.chunkTool = undefined
    }
  }

  private startText(id: string): void {
    if (this.openText.has(id)) return
    this.openText.add(id)
    this.events.push({ type: 'text-start', messageId: this.ensureStarted(), id })
  }

  private textDelta(id: string, delta: string): void {
    if (delta !== '') this.events.push({ type: 'text-delta', messageId: this.ensureStarted(), id, delta })
  }

  private endText(id: string): void {
    this.openText.delete(id)
    this.events.push({ type: 'text-end', messageId: this.ensureStarted(), id })
  }

  private startReasoning(id: string): void {
    if (this.openReasoning.has(id)) return
    this.openReasoning.add(id)
    this.knownReasoning.add(id)
    this.events.push({ type: 'reasoning-start', messageId: this.ensureStarted(), id })
  }

  private reasoningDelta(id: string, delta: string): void {
    if (delta !== '')
      this.events.push({ type: 'reasoning-delta', messageId: this.ensureStarted(), id, delta })
  }

  private endReasoning(id: string): void {
    this.openReasoning.delete(id)
    this.events.push({ type: 'reasoning-end', messageId: this.ensureStarted(), id })
  }

  private startTool(toolCallId: string, toolName: string): void {
    if (this.toolCalls.has(toolCallId)) return
    this.toolCalls.set(toolCallId, { ended: false, answered: false })
    this.events.push({ type: 'tool-call-start', messageId: this.ensureStarted(), toolCallId, toolName })
  }

  private toolDelta(toolCallId: string, delta: string): void {
    if (delta !== '')
      this.events.push({ type: 'tool-call-delta', messageId: this.ensureStarted(), toolCallId, delta })
  }

  private endTool(toolCallId: string): void {
    const call = this.toolCalls.get(toolCallId)
    if (call !== undefined) call.ended = true
    // The reducer parses the streamed argument text once, here.
    this.events.push({ type: 'tool-call-end', messageId: this.ensureStarted(), toolCallId })
  }

  private finishRun(event: Record<string, unknown>): void {
    this.ensureStarted()
    const end: MessageEndFields = {}
    const outcome = isRecord(event.outcome) ? event.outcome : undefined
    const metadata: Record<string, unknown> = {}
    if (outcome?.type === 'interrupt') {
      end.finishReason = 'other'
      end.rawFinishReason = 'interrupt'
      metadata.interrupts = outcome.interrupts
    } else {
      const unanswered = [...this.toolCalls.values()].some((call) => !call.answered)
      end.finishReason = unanswered ? 'tool-calls' : 'stop'
    }
    if (event.result !== undefined) metadata.result = event.result
    if (Object.keys(metadata).length > 0) end.metadata = metadata
    const usage = sumUsage(this.finishedUsage, usageFromAgUi(event.usage))
    if (usage !== undefined) end.usage = usage
    this.finishedUsage = usage
    this.message.end(end)
  }

  private missingStart(eventType: string, what: string, id: string, startType: string): void {
    this.fail({
      code: 'invalid-event-order',
      message: `Received ${eventType} for ${what} "${id}", which was never started. Ensure a ${startType} event is sent before it.`,
    })
  }

  private fail(error: MessageError): void {
    this.message.fail(error)
  }

  private ensureStarted(): string {
    this.message.start()
    return this.message.messageId
  }
}

/**
 * A decoder for one AG-UI run.
 *
 * @example
 * ```ts
 * const decoder = createAgUiDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"type":"RUN_FINISHED","threadId":"t1","runId":"r1"}' })
 * ```
 */
export function createAgUiDecoder(options?: DecoderOptions): ProtocolDecoder {
  const state = new AgUiDecoderState(options)
  return createJsonFrameDecoder(state.message, 'ag-ui', {
    value: (value) => state.value(value),
    endOfSource: (cutOff) => state.end(cutOff),
    continuesAfterEnd: true,
  })
}

/**
 * The AG-UI protocol (agent–user interaction events). Framing: SSE, as `@ag-ui/encoder` sends
 * it; an agent that sends the same JSON over a WebSocket works with `framing: 'frames'`.
 *
 * @example
 * ```ts
 * import { collectMessage, agUiProtocol } from '@sluice/core'
 * const message = await collectMessage(response.body!, agUiProtocol)
 * ```
 */
export const agUiProtocol: Protocol = {
  id: 'ag-ui',
  framing: 'sse',
  createDecoder: createAgUiDecoder,
  decodeError: errorFromAgUiResponse,
}
