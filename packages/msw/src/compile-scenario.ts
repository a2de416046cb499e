/**
 * A scenario → the `ChatEvent`s the encoders turn into wire frames.
 *
 * @module
 */
import type { ChatEvent, FinishReason, Usage } from '@sluice/core'
import type { ScenarioDefinition, ScenarioStep } from './scenario.ts'
import { splitIntoTokens } from './split-into-tokens.ts'

/** Which part of the scenario one response carries. */
export type CompileTarget =
  /** Every step in one message, with step events between them (agent protocols). */
  | { steps: 'all' }
  /** Only this step (0-based; past the end, the last step): one provider response. */
  | { steps: 'one'; index: number }

/** The event types whose frames count as tokens for `tokensPerSecond`. */
export const tokenEventTypes: ReadonlySet<ChatEvent['type']> = new Set([
  'text-delta',
  'reasoning-delta',
  'tool-call-delta',
])

/** `tool-calls` when a call in the step has no result in the step, else `stop`. */
function defaultFinishReason(step: ScenarioStep): FinishReason {
  const called = new Set<string>()
  for (const item of step.items) {
    if (item.kind === 'tool-call') called.add(item.toolCallId)
    if (item.kind === 'tool-result') called.delete(item.toolCallId)
  }
  return called.size > 0 ? 'tool-calls' : 'stop'
}

function addUsage(total: Usage | undefined, usage: Usage | undefined): Usage | undefined {
  if (usage === undefined) return total
  if (total === undefined) return { ...usage }
  const sum: Usage = { ...total }
  for (const key of Object.keys(usage) as (keyof Usage)[]) sum[key] = (sum[key] ?? 0) + (usage[key] ?? 0)
  return sum
}

function stepEvents(step: ScenarioStep, stepIndex: number, messageId: string): ChatEvent[] {
  const events: ChatEvent[] = []
  const toolNames = new Map<string, string>()
  step.items.forEach((item, itemIndex) => {
    const blockId = `${item.kind}-${stepIndex}-${itemIndex}`
    switch (item.kind) {
      case 'text':
      case 'reasoning': {
        const kind = item.kind
        events.push({ type: `${kind}-start`, messageId, id: blockId })
        for (const delta of splitIntoTokens(item.text)) {
          events.push({ type: `${kind}-delta`, messageId, id: blockId, delta })
        }
        events.push({ type: `${kind}-end`, messageId, id: blockId })
        break
      }
      case 'tool-call': {
        const { toolCallId, toolName, input } = item
        toolNames.set(toolCallId, toolName)
        events.push({ type: 'tool-call-start', messageId, toolCallId, toolName })
        for (const delta of splitIntoTokens(JSON.stringify(input) ?? 'null')) {
          events.push({ type: 'tool-call-delta', messageId, toolCallId, delta })
        }
        events.push({ type: 'tool-call-end', messageId, toolCallId, toolName, input })
        break
      }
      case 'tool-result': {
        const toolName = toolNames.get(item.toolCallId)
        events.push({
          type: 'tool-result',
          messageId,
          toolCallId: item.toolCallId,
          output: item.output,
          ...(toolName === undefined ? {} : { toolName }),
        })
        break
      }
      case 'source':
        events.push({
          type: 'source',
          messageId,
          url: item.url,
          sourceId: `source-${stepIndex}-${itemIndex}`,
          ...(item.title === undefined ? {} : { title: item.title }),
        })
        break
      case 'file':
        events.push({
          type: 'file',
          messageId,
          url: item.url,
          mediaType: item.mediaType,
          ...(item.name === undefined ? {} : { name: item.name }),
        })
        break
      case 'data':
        events.push({
          type: 'data',
          messageId,
          name: item.name,
          data: item.data,
          ...(item.id === undefined ? {} : { id: item.id }),
        })
        break
      default: {
        const unknown: never = item
        throw new Error(`Unknown scenario item ${JSON.stringify(unknown)}.`)
      }
    }
  })
  return events
}

/**
 * The events one response carries: `message-start`, the content of the step(s), then
 * `message-end` (finish reason and usage) or, with `errorMidstream`, `message-error`.
 * Text and reasoning are cut into tokens and tool input JSON into fragments, deterministically.
 *
 * @example
 * ```ts
 * compileScenario(scenario().text('Hi there').definition, { steps: 'all' }, 'm1')
 * // message-start, text-start, text-delta 'Hi', text-delta ' there', text-end, message-end
 * ```
 */
export function compileScenario(
  definition: ScenarioDefinition,
  target: CompileTarget,
  messageId: string,
): ChatEvent[] {
  const steps = definition.steps
  const events: ChatEvent[] = [{ type: 'message-start', messageId, role: 'assistant' }]
  let finishReason: FinishReason = 'stop'
  let usage: Usage | undefined
  if (target.steps === 'one') {
    const index = Math.min(Math.max(0, target.index), steps.length - 1)
    const step = steps[index] ?? { items: [] }
    events.push(...stepEvents(step, index, messageId))
    finishReason = step.finishReason ?? defaultFinishReason(step)
    usage = step.usage
  } else {
    const multiple = steps.length > 1
    steps.forEach((step, index) => {
      const stepId = `step-${index}`
      const reason = step.finishReason ?? defaultFinishReason(step)
      if (multiple) events.push({ type: 'step-start', messageId, stepId })
      events.push(...stepEvents(step, index, messageId))
      if (multiple) {
        events.push({
          type: 'step-end',
          messageId,
          stepId,
          finishReason: reason,
          ...(step.usage === undefined ? {} : { usage: step.usage }),
        })
      }
      finishReason = reason
      usage = addUsage(usage, step.usage)
    })
  }
  const error = definition.faults.midstreamError
  if (error !== undefined) {
    events.push({ type: 'message-error', messageId, error })
  } else {
    events.push({ type: 'message-end', messageId, finishReason, ...(usage === undefined ? {} : { usage }) })
  }
  return events
}
