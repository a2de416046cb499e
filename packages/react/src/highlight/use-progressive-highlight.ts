import { useEffect, useState } from 'react'
import type { CodeHighlighter, HighlightedToken } from '../markdown/markdown-options.ts'

/** At most one highlight of a streaming block per this many milliseconds. */
export const STREAMING_HIGHLIGHT_INTERVAL = 100

/** A highlighter's answer, with what it was asked for. */
export interface ProgressiveHighlight {
  readonly lines: readonly (readonly HighlightedToken[])[]
  readonly language: string
  readonly highlighter: CodeHighlighter
}

/**
 * What a block asks the highlighter for: the whole code once the block is complete; while it
 * streams, only its finished lines (everything before the last line break), because the last line
 * is still being written and a half token (`"unterminated`) would colour it wrong.
 */
function highlightTarget(code: string, complete: boolean): string {
  if (complete) return code
  const lastBreak = code.lastIndexOf('\n')
  return lastBreak === -1 ? '' : code.slice(0, lastBreak)
}

interface HighlightRequest {
  readonly code: string
  readonly language: string
  readonly complete: boolean
  readonly highlighter: CodeHighlighter | undefined
}

/**
 * The scheduling behind {@link useProgressiveHighlight}, outside React: its state changes on every
 * chunk and must not cause renders; only an accepted answer does (through `onResult`).
 *
 * @example
 * ```ts
 * const scheduler = new HighlightScheduler(setResult)
 * scheduler.mount()
 * scheduler.update({ code, language, complete, highlighter })
 * ```
 */
export class HighlightScheduler {
  private mounted = false
  private latest: HighlightRequest = { code: '', language: '', complete: false, highlighter: undefined }
  /** Language, highlighter and text of the last call, so the same text is not asked for twice. */
  private requested: { language: string; highlighter: CodeHighlighter; target: string } | null = null
  private startedAt = Number.NEGATIVE_INFINITY
  private sequence = 0
  /** The sequence number of the call in flight that gates streaming calls, or 0. */
  private inFlight = 0
  /** The sequence number of the newest answer shown: an older one arriving later is dropped. */
  private accepted = 0
  /** The highlighter that threw or rejected for this block, not called again while it streams. */
  private failedWith: CodeHighlighter | null = null
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly onResult: (result: ProgressiveHighlight) => void) {}

  mount(): void {
    this.mounted = true
    this.schedule()
  }

  unmount(): void {
    // StrictMode unmounts and mounts again: forget what was asked so the remount asks again.
    this.mounted = false
    this.requested = null
    this.inFlight = 0
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  update(request: HighlightRequest): void {
    this.latest = request
    this.schedule()
  }

  private schedule(): void {
    if (!this.mounted) return
    const { code, language, complete, highlighter } = this.latest
    if (highlighter === undefined) return
    const target = highlightTarget(code, complete)
    if (target === '') return
    const requested = this.requested
    if (
      requested !== null &&
      requested.target === target &&
      requested.language === language &&
      requested.highlighter === highlighter
    )
      return
    if (!complete) {
      if (this.failedWith === highlighter || this.inFlight !== 0) return
      const wait = this.startedAt + STREAMING_HIGHLIGHT_INTERVAL - performance.now()
      if (wait > 0) {
        // Delayed, not debounced: a later chunk does not push the timer back.
        this.timer ??= setTimeout(() => {
          this.timer = undefined
          this.schedule()
        }, wait)
        return
      }
    }
    const sequence = ++this.sequence
    this.requested = { language, highlighter, target }
    this.inFlight = sequence
    Promise.resolve()
      .then(() => {
        // Timed when the highlighter is called, not when the call is queued: the microtask may
        // run a few ms later, and the interval promise is about calls.
        this.startedAt = performance.now()
        return highlighter(target, language)
      })
      .then(
        (lines) => {
          if (!this.mounted || sequence <= this.accepted) return
          this.accepted = sequence
          this.onResult({ lines, language, highlighter })
        },
        () => {
          // The plain text is already correct; stop asking while the block streams.
          this.failedWith = highlighter
        },
      )
      .finally(() => {
        if (this.inFlight !== sequence) return
        this.inFlight = 0
        // The text may have grown while this call ran.
        this.schedule()
      })
  }
}

/**
 * Highlights a code block progressively without ever holding up the stream.
 *
 * - While the block streams, its finished lines are highlighted at most every
 *   {@link STREAMING_HIGHLIGHT_INTERVAL} ms, with one call in flight at a time (a slow highlighter
 *   is called less often, never queued up); the call that would come too early is delayed, not
 *   dropped, so a continuous stream still gets highlighted (no trailing debounce that starves).
 * - Once the block is complete, the whole code is highlighted at once.
 * - A call starts in a microtask after the commit, so even a synchronous highlighter never delays
 *   the render of the text; answers arrive in any order and an older one never replaces a newer.
 * - A highlighter that throws or rejects leaves the plain text; while streaming it is not called
 *   again for that block until the block is complete (a failing import would otherwise be retried
 *   ten times a second).
 *
 * Returns the newest answer for the current language and highlighter, or `null`. It may be for an
 * older text of the block: the caller shows only the lines that still match
 * (`matchHighlightedLines`).
 *
 * @example
 * ```tsx
 * const highlight = useProgressiveHighlight(code, language, complete, options.highlighter)
 * const match = highlight === null ? null : matchHighlightedLines(highlight.lines, code)
 * ```
 */
export function useProgressiveHighlight(
  code: string,
  language: string,
  complete: boolean,
  highlighter: CodeHighlighter | undefined,
): ProgressiveHighlight | null {
  const [result, setResult] = useState<ProgressiveHighlight | null>(null)
  const [scheduler] = useState(() => new HighlightScheduler(setResult))

  useEffect(() => {
    scheduler.mount()
    return () => scheduler.unmount()
  }, [scheduler])

  useEffect(() => {
    scheduler.update({ code, language, complete, highlighter })
  }, [scheduler, code, language, complete, highlighter])

  // An answer for another language or highlighter (the info string was still streaming) is not shown.
  if (result === null || result.language !== language || result.highlighter !== highlighter) return null
  return result
}
