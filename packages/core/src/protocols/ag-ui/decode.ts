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
 * The wiring is here; each family of events has its module: the run lifecycle
 * (`run-events.ts`), text messages (`text-message-events.ts`), reasoning (`reasoning-events.ts`),
 * tool calls (`tool-call-events.ts`), state and data (`state-events.ts`), on a shared context
 * (`decoder-context.ts`).
 *
 * @module
 */
import type { DecoderOptions, Protocol, ProtocolDecoder } from '../../protocol.ts'
import { isRecord, stringField } from '../json-frame.ts'
import { createJsonFrameDecoder } from '../shared/index.ts'
import { type AgUiEventFamily, createAgUiContext } from './decoder-context.ts'
import { createReasoningEvents } from './reasoning-events.ts'
import { createRunEvents } from './run-events.ts'
import { createStateEvents } from './state-events.ts'
import { createTextMessageEvents } from './text-message-events.ts'
import { createToolCallEvents } from './tool-call-events.ts'
import { errorFromAgUiResponse } from './usage-and-error.ts'

export { agUiDefaultMessageId } from './decoder-context.ts'

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
  const context = createAgUiContext(options)
  const { message } = context
  const text = createTextMessageEvents(context)
  const reasoning = createReasoningEvents(context)
  const tools = createToolCallEvents(context)
  const run = createRunEvents(context, tools)
  const data = createStateEvents(context)
  /** The families whose `*_CHUNK` events stay open until another event, in the order they close. */
  const chunked = [text, reasoning, tools]

  function familyOf(type: string): AgUiEventFamily {
    if (type.startsWith('RUN_') || type.startsWith('STEP_')) return run
    if (type.startsWith('TEXT_MESSAGE_')) return text
    if (type.startsWith('REASONING_') || type.startsWith('THINKING_')) return reasoning
    if (type.startsWith('TOOL_CALL_')) return tools
    return data
  }

  return createJsonFrameDecoder(message, 'ag-ui', {
    value(event) {
      if (!isRecord(event)) return
      const type = stringField(event.type)
      if (type === undefined) return
      // After RUN_FINISHED only a new run continues the stream; anything else is ignored.
      if (message.isComplete && type !== 'RUN_STARTED') return
      for (const family of chunked) family.closeChunk?.(type)
      familyOf(type).apply(type, event)
    },
    endOfSource(cutOff) {
      const messageId = context.started()
      message.interrupt(
        `The ag-ui stream for message "${messageId}" ended ${cutOff ? 'in the middle of an event ' : ''}before RUN_FINISHED or RUN_ERROR, so the answer is incomplete. The connection was probably lost or the agent stopped; retry the run.`,
      )
    },
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
