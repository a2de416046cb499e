import { useEffect, useState } from 'react'
import { compactSeconds, englishLabels, type LabelFormat } from '../labels.ts'

/**
 * Whole seconds since `startedAt` (epoch ms), ticking once a second while `running`.
 * Without a start time (a provider that sends no timestamps) it counts from the first render.
 *
 * @example
 * ```tsx
 * const seconds = useElapsedSeconds(part.startedAt, part.state === 'running')
 * return <span>Running {seconds} s</span>
 * ```
 */
export function useElapsedSeconds(startedAt: number | undefined, running: boolean): number {
  const [mountedAt] = useState(() => Date.now())
  const start = startedAt ?? mountedAt
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!running) return
    setNow(Date.now())
    // One tick a second: the display only shows whole seconds.
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [running])
  return Math.max(0, Math.floor((now - start) / 1000))
}

/**
 * A duration for people: `"3 s"`, `"1 min 5 s"` (numbers in `format`'s locale, English by default).
 *
 * @example
 * ```ts
 * formatSeconds(65) // '1 min 5 s'
 * ```
 */
export function formatSeconds(seconds: number, format: LabelFormat = englishLabels.format): string {
  return compactSeconds(seconds, format)
}
