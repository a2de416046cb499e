/**
 * The AG-UI run lifecycle (`RUN_*`, `STEP_*`): one run is one Sluice assistant message; a second
 * run in the same stream reopens it; `RUN_FINISHED` ends it, `RUN_ERROR` fails it.
 *
 * @module
 */
import type { MessageError, Usage } from '../../message.ts'
import { isRecord, stringField } from '../json-frame.ts'
import type { MessageEndFields } from '../shared/index.ts'
import type { AgUiContext, AgUiEventFamily } from './decoder-context.ts'
import type { ToolCallEvents } from './tool-call-events.ts'
import { sumUsage, usageFromAgUi } from './usage-and-error.ts'

/**
 * The `RUN_*` and `STEP_*` events of one decoder. `RUN_FINISHED`'s finish reason is
 * `tool-calls` when a tool call of the run is unanswered, `other` for an `interrupt` outcome,
 * else `stop`; its usage is summed with the earlier runs' of the stream.
 *
 * @example
 * ```ts
 * const context = createAgUiContext({})
 * const run = createRunEvents(context, createToolCallEvents(context))
 * run.apply('RUN_STARTED', { threadId: 't1', runId: 'r1' }) // message-start r1 { threadId, runId }
 * run.apply('RUN_FINISHED', {}) // message-end stop
 * ```
 */
export function createRunEvents(context: AgUiContext, tools: ToolCallEvents): AgUiEventFamily {
  const { message } = context
  /** The usage of the runs that finished, summed into the next run's end. */
  let finishedUsage: Usage | undefined

  function started(event: Record<string, unknown>): void {
    message.useWireId(stringField(event.runId))
    const metadata: Record<string, unknown> = {}
    for (const key of ['threadId', 'runId', 'parentRunId'] as const) {
      const value = stringField(event[key])
      if (value !== undefined) metadata[key] = value
    }
    if (message.isComplete) {
      tools.newRun()
      message.reopen(metadata)
    } else if (!message.isStarted) {
      message.start(metadata)
    } else if (Object.keys(metadata).length > 0) {
      message.push({ type: 'metadata', messageId: message.messageId, metadata })
    }
  }

  function finished(event: Record<string, unknown>): void {
    context.started()
    const end: MessageEndFields = {}
    const outcome = isRecord(event.outcome) ? event.outcome : undefined
    const metadata: Record<string, unknown> = {}
    if (outcome?.type === 'interrupt') {
      end.finishReason = 'other'
      end.rawFinishReason = 'interrupt'
      metadata.interrupts = outcome.interrupts
    } else {
      end.finishReason = tools.hasUnanswered() ? 'tool-calls' : 'stop'
    }
    if (event.result !== undefined) metadata.result = event.result
    if (Object.keys(metadata).length > 0) end.metadata = metadata
    const usage = sumUsage(finishedUsage, usageFromAgUi(event.usage))
    if (usage !== undefined) end.usage = usage
    finishedUsage = usage
    message.end(end)
  }

  return {
    apply(type, event) {
      switch (type) {
        case 'RUN_STARTED':
          started(event)
          return
        case 'RUN_FINISHED':
          finished(event)
          return
        case 'RUN_ERROR': {
          const text = stringField(event.message)
          const code = stringField(event.code)
          const error: MessageError = {
            message:
              text === undefined || text === '' ? 'The agent run failed without an error message.' : text,
          }
          if (code !== undefined) error.code = code
          message.fail(error)
          return
        }
        case 'STEP_STARTED':
        case 'STEP_FINISHED': {
          const messageId = context.started()
          const stepName = stringField(event.stepName)
          const stepType = type === 'STEP_STARTED' ? 'step-start' : 'step-end'
          message.push(
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
    },
  }
}
