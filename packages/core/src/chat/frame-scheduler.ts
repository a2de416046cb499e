/**
 * When the controller applies a batch of events to the store: at most once per animation
 * frame while the page is visible, on a timer otherwise (a hidden tab gets no frames, but the
 * conversation must still advance), and on a timer in Node.
 *
 * @example
 * ```ts
 * const cancel = defaultFrameScheduler.schedule(() => store.getState().apply(batch))
 * cancel() // nothing runs
 * ```
 * @module
 */

/** Schedules one callback; the returned function cancels it. Injectable so tests are deterministic. */
export interface FrameScheduler {
  schedule(callback: () => void): () => void
}

/** The timer used when there are no frames (Node, hidden tab): about one 60 Hz frame. */
export const hiddenFrameInterval = 16

/**
 * rAF can stop firing while a callback is pending (the tab was hidden after scheduling), so a
 * slower timer backs it up; whichever fires first runs the callback, the other is cancelled.
 */
const frameFallbackDelay = 100

function pageIsVisible(): boolean {
  return typeof document !== 'undefined' && document.visibilityState === 'visible'
}

/**
 * The default scheduler: `requestAnimationFrame` when available and the document is visible,
 * else `setTimeout` of {@link hiddenFrameInterval} ms.
 *
 * @example
 * ```ts
 * createChat({ api: '/api/chat', protocol: 'openai-chat', scheduler: defaultFrameScheduler })
 * ```
 */
export const defaultFrameScheduler: FrameScheduler = {
  schedule(callback) {
    if (typeof requestAnimationFrame === 'function' && pageIsVisible()) {
      let done = false
      const run = () => {
        if (done) return
        done = true
        cancelAnimationFrame(frame)
        clearTimeout(timer)
        callback()
      }
      const frame = requestAnimationFrame(run)
      const timer = setTimeout(run, frameFallbackDelay)
      return () => {
        done = true
        cancelAnimationFrame(frame)
        clearTimeout(timer)
      }
    }
    const timer = setTimeout(callback, hiddenFrameInterval)
    return () => clearTimeout(timer)
  },
}

/**
 * A scheduler that runs callbacks only when told to, for tests and for server-side use.
 *
 * @example
 * ```ts
 * const scheduler = createManualScheduler()
 * const chat = createChat({ api, protocol: 'openai-chat', scheduler })
 * scheduler.flush() // apply everything received so far
 * ```
 */
export function createManualScheduler(): FrameScheduler & {
  /** Run every pending callback; returns how many ran. */
  flush(): number
  /** How many callbacks are waiting. */
  readonly pending: number
} {
  const callbacks = new Set<() => void>()
  return {
    schedule(callback) {
      const entry = () => callback()
      callbacks.add(entry)
      return () => {
        callbacks.delete(entry)
      }
    },
    flush() {
      const due = [...callbacks]
      callbacks.clear()
      for (const callback of due) callback()
      return due.length
    },
    get pending() {
      return callbacks.size
    },
  }
}
