/**
 * Measures one assistant message's request: time to first byte, time to first token, chunks,
 * content deltas, tokens per second and total time.
 *
 * @example
 * ```ts
 * const metrics = createMetricsRecorder(Date.now)
 * metrics.byte() // on every network chunk
 * metrics.event(event) // on every decoded event
 * const result = metrics.finish(message.usage)
 * ```
 * @module
 */
import type { ChatEvent } from '../events.ts'
import type { MessageMetrics, Usage } from '../message.ts'

/** Event types that are streamed content: the first one is the first token. */
const tokenEventTypes = new Set<ChatEvent['type']>([
  'text-delta',
  'reasoning-delta',
  'tool-call-delta',
  'tool-call-start',
  'tool-call-end',
])

/** Records timings for one request. */
export interface MetricsRecorder {
  /** A network chunk (or WebSocket message) arrived. */
  byte(): void
  /** A decoded event arrived. */
  event(event: ChatEvent): void
  /** Whether any byte arrived yet (a failure before it may be retried). */
  readonly receivedBytes: boolean
  /** The metrics so far; `usage` gives the output token count when the provider reported it. */
  finish(usage?: Usage): MessageMetrics
}

/**
 * Start measuring a request now.
 *
 * @example
 * ```ts
 * const recorder = createMetricsRecorder(() => performance.timeOrigin + performance.now())
 * ```
 */
export function createMetricsRecorder(now: () => number): MetricsRecorder {
  const startedAt = now()
  let firstByteAt: number | undefined
  let firstTokenAt: number | undefined
  let chunks = 0
  let deltas = 0
  return {
    byte() {
      chunks++
      firstByteAt ??= now()
    },
    event(event) {
      if (!tokenEventTypes.has(event.type)) return
      firstTokenAt ??= now()
      if (event.type !== 'tool-call-start' && event.type !== 'tool-call-end') deltas++
    },
    get receivedBytes() {
      return firstByteAt !== undefined
    },
    finish(usage) {
      const endedAt = now()
      const metrics: MessageMetrics = {
        requestStartedAt: startedAt,
        chunks,
        deltas,
        totalTime: endedAt - startedAt,
      }
      if (firstByteAt !== undefined) metrics.timeToFirstByte = firstByteAt - startedAt
      if (firstTokenAt !== undefined) {
        metrics.timeToFirstToken = firstTokenAt - startedAt
        // Rate over the streaming phase only: waiting for the first token is latency, not speed.
        const seconds = (endedAt - firstTokenAt) / 1000
        const tokens = usage?.outputTokens ?? deltas
        if (seconds > 0 && tokens > 0) metrics.tokensPerSecond = tokens / seconds
      }
      return metrics
    },
  }
}
