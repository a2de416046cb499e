/**
 * Tool execution times reported by the backend (agent-events `ToolCallComplete.execution_time_ms`,
 * a `data` part named `tool-execution` with `{ toolCallId, success, executionTimeMs }`), by tool
 * call id, for the tool cards.
 *
 * @module
 */
import type { Message } from '@sluice/core'
import { compactMilliseconds, englishLabels, type LabelFormat } from '../labels.ts'

/** The `data` part name agent-events uses for a tool's execution time. */
const toolExecutionDataName = 'tool-execution'

/** Times above this (a day) are not shown: no real tool call takes that long. */
const maxShownMs = 86_400_000

/**
 * Tool call id → execution time in milliseconds, read from the message's `tool-execution` data
 * parts. Ids from the wire only ever key a `Map`; malformed entries are skipped.
 *
 * @example
 * ```ts
 * toolExecutionTimes(message).get('call_1') // 1234
 * ```
 */
export function toolExecutionTimes(message: Message): Map<string, number> {
  const times = new Map<string, number>()
  for (const part of message.parts) {
    if (part.type !== 'data' || part.name !== toolExecutionDataName) continue
    const data = part.data
    if (typeof data !== 'object' || data === null) continue
    const { toolCallId, executionTimeMs } = data as { toolCallId?: unknown; executionTimeMs?: unknown }
    if (typeof toolCallId !== 'string' || typeof executionTimeMs !== 'number') continue
    if (!Number.isFinite(executionTimeMs) || executionTimeMs < 0 || executionTimeMs > maxShownMs) continue
    times.set(toolCallId, executionTimeMs)
  }
  return times
}

/**
 * A duration as the tool card shows it: `340 ms` under a second, `1.2 s` up to a minute, then
 * `2 min 5 s` (numbers in `format`'s locale, English by default).
 *
 * @example
 * ```ts
 * formatToolTime(1234) // '1.2 s'
 * ```
 */
export function formatToolTime(ms: number, format: LabelFormat = englishLabels.format): string {
  return compactMilliseconds(ms, format)
}
