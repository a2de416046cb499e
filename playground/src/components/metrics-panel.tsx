/**
 * Live metrics of the current message.
 *
 * @module
 */
import { useSyncExternalStore } from 'react'
import type { LiveMetrics, LiveMetricsSnapshot } from '../chat/live-metrics.ts'

function milliseconds(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value)} ms`
}

function rate(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(1)
}

function count(value: number | undefined): string {
  return value === undefined ? '–' : String(value)
}

interface Figures {
  timeToFirstByte?: number
  timeToFirstToken?: number
  tokensPerSecond?: number
  chunks?: number
  commits?: number
  commitsPerSecond?: number
}

/**
 * Live estimates while streaming; the controller's exact figures once the message ended.
 * Nothing before the first request: the counting `fetch` also reads other bodies (the saved
 * conversation's history on load), which are not chunks of an answer.
 */
function figures(snapshot: LiveMetricsSnapshot, now: number): Figures {
  const { startedAt, firstByteAt, firstTokenAt, endedAt, final } = snapshot
  if (startedAt === undefined) return {}
  const end = endedAt ?? now
  const result: Figures = { chunks: final?.chunks ?? snapshot.chunks, commits: snapshot.commits }
  const timeToFirstByte =
    final?.timeToFirstByte ??
    (startedAt !== undefined && firstByteAt !== undefined ? firstByteAt - startedAt : undefined)
  if (timeToFirstByte !== undefined) result.timeToFirstByte = timeToFirstByte
  const timeToFirstToken =
    final?.timeToFirstToken ??
    (startedAt !== undefined && firstTokenAt !== undefined ? firstTokenAt - startedAt : undefined)
  if (timeToFirstToken !== undefined) result.timeToFirstToken = timeToFirstToken
  const tokensPerSecond =
    final?.tokensPerSecond ??
    (firstTokenAt !== undefined && end > firstTokenAt
      ? snapshot.tokens / ((end - firstTokenAt) / 1000)
      : undefined)
  if (tokensPerSecond !== undefined) result.tokensPerSecond = tokensPerSecond
  if (endedAt === undefined) result.commitsPerSecond = snapshot.recentCommits
  else if (firstByteAt !== undefined && endedAt > firstByteAt)
    result.commitsPerSecond = snapshot.commits / ((endedAt - firstByteAt) / 1000)
  return result
}

/** Props of {@link MetricsPanel}. */
export interface MetricsPanelProps {
  metrics: LiveMetrics
}

/** The metrics panel. */
export function MetricsPanel({ metrics }: MetricsPanelProps) {
  const snapshot = useSyncExternalStore(metrics.subscribe, metrics.getSnapshot)
  const shown = figures(snapshot, performance.now())
  const state = snapshot.startedAt === undefined ? 'idle' : snapshot.endedAt === undefined ? 'live' : 'final'
  return (
    <section className="panel" aria-labelledby="metrics-heading" data-metrics-state={state}>
      <h2 id="metrics-heading">
        Metrics{' '}
        <span className="panel-hint">
          {state === 'idle' ? 'send a message' : state === 'live' ? 'live' : snapshot.status}
        </span>
      </h2>
      <dl className="metrics">
        <div>
          <dt>Time to first byte</dt>
          <dd data-metric="ttfb">{milliseconds(shown.timeToFirstByte)}</dd>
        </div>
        <div>
          <dt>Time to first token</dt>
          <dd data-metric="ttft">{milliseconds(shown.timeToFirstToken)}</dd>
        </div>
        <div>
          <dt>Tokens/s</dt>
          <dd data-metric="tokens-per-second">{rate(shown.tokensPerSecond)}</dd>
        </div>
        <div>
          <dt>Chunks</dt>
          <dd data-metric="chunks">{count(shown.chunks)}</dd>
        </div>
        <div>
          <dt>Commits</dt>
          <dd data-metric="commits">{count(shown.commits)}</dd>
        </div>
        <div>
          <dt>Commits/s</dt>
          <dd data-metric="commits-per-second">{rate(shown.commitsPerSecond)}</dd>
        </div>
      </dl>
    </section>
  )
}
