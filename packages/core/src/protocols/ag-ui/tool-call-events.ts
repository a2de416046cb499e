/**
 * AG-UI tool calls (`TOOL_CALL_*`): start, streamed argument text, end, and the result
 * (`TOOL_CALL_RESULT.content`, a string or content parts, the tool's output as sent).
 *
 * @module
 */
import { stringField } from '../json-frame.ts'
import type { AgUiContext, AgUiEventFamily } from './decoder-context.ts'

/** The tool calls of one decoder, and what the end of a run needs to know about them. */
export interface ToolCallEvents extends AgUiEventFamily {
  /** A tool call of this run has no result yet (the run ends `tool-calls`: the client runs it). */
  hasUnanswered(): boolean
  /** The next run of the same stream began: its tool calls are its own. */
  newRun(): void
}

/**
 * The `TOOL_CALL_*` events of one decoder.
 *
 * @example
 * ```ts
 * const tools = createToolCallEvents(createAgUiContext({ messageId: 'm1' }))
 * tools.apply('TOOL_CALL_START', { toolCallId: 'c1', toolCallName: 'search' }) // tool-call-start c1
 * tools.hasUnanswered() // true
 * ```
 */
export function createToolCallEvents(context: AgUiContext): ToolCallEvents {
  const { message } = context
  /** Tool calls of this run: whether their input ended and their result came. */
  let calls = new Map<string, { ended: boolean; answered: boolean }>()
  /** The tool call a `TOOL_CALL_CHUNK` opened, closed by the next other event. */
  let chunk: string | undefined

  function start(toolCallId: string, toolName: string): void {
    if (calls.has(toolCallId)) return
    calls.set(toolCallId, { ended: false, answered: false })
    message.push({ type: 'tool-call-start', messageId: context.started(), toolCallId, toolName })
  }

  function delta(toolCallId: string, text: string): void {
    if (text !== '')
      message.push({ type: 'tool-call-delta', messageId: context.started(), toolCallId, delta: text })
  }

  function end(toolCallId: string): void {
    const call = calls.get(toolCallId)
    if (call !== undefined) call.ended = true
    // The reducer parses the streamed argument text once, here.
    message.push({ type: 'tool-call-end', messageId: context.started(), toolCallId })
  }

  return {
    apply(type, event) {
      switch (type) {
        case 'TOOL_CALL_START': {
          const toolCallId = stringField(event.toolCallId)
          if (toolCallId !== undefined) start(toolCallId, stringField(event.toolCallName) ?? '')
          return
        }
        case 'TOOL_CALL_ARGS': {
          const toolCallId = stringField(event.toolCallId)
          if (toolCallId === undefined) return
          if (!calls.has(toolCallId)) {
            context.missingStart(type, 'tool call', toolCallId, 'TOOL_CALL_START')
            return
          }
          delta(toolCallId, stringField(event.delta) ?? '')
          return
        }
        case 'TOOL_CALL_END': {
          const toolCallId = stringField(event.toolCallId)
          if (toolCallId === undefined) return
          if (!calls.has(toolCallId)) {
            context.missingStart(type, 'tool call', toolCallId, 'TOOL_CALL_START')
            return
          }
          end(toolCallId)
          return
        }
        case 'TOOL_CALL_CHUNK': {
          const toolCallId =
            stringField(event.toolCallId) ?? chunk ?? `tool-call-chunk-${context.nextChunkNumber()}`
          if (toolCallId !== chunk && chunk !== undefined) end(chunk)
          if (!calls.has(toolCallId)) start(toolCallId, stringField(event.toolCallName) ?? '')
          chunk = toolCallId
          delta(toolCallId, stringField(event.delta) ?? '')
          return
        }
        case 'TOOL_CALL_RESULT': {
          const toolCallId = stringField(event.toolCallId)
          if (toolCallId === undefined) return
          // An unknown id is not an error: a frontend tool's result may answer a call of an earlier run.
          const call = calls.get(toolCallId)
          if (call !== undefined) call.answered = true
          message.push({
            type: 'tool-result',
            messageId: context.started(),
            toolCallId,
            output: event.content,
          })
          return
        }
        default:
          // Newer types of this family are no-ops.
          return
      }
    },
    closeChunk(type) {
      if (chunk === undefined || type === 'TOOL_CALL_CHUNK') return
      if (calls.get(chunk)?.ended === false) end(chunk)
      chunk = undefined
    },
    hasUnanswered() {
      for (const call of calls.values()) if (!call.answered) return true
      return false
    },
    newRun() {
      calls = new Map()
    },
  }
}
