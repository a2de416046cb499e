/**
 * Coalesces events into one store update per frame. Rendering cost is per frame, not per
 * token; a terminal event (message end, error, abort, interrupt) flushes at once so the final
 * state never waits for a frame.
 *
 * @example
 * ```ts
 * const batcher = createEventBatcher({ apply: (events) => store.getState().apply(events) })
 * batcher.push({ type: 'text-delta', messageId: 'a1', id: 't', delta: 'Hi' }) // applied next frame
 * batcher.push({ type: 'message-end', messageId: 'a1' }) // applied now, with the delta before it
 * ```
 * @module
 */
import { type ChatEvent, isTerminalEvent } from '../events.ts'
import { defaultFrameScheduler, type FrameScheduler } from './frame-scheduler.ts'

/** Options for {@link createEventBatcher}. */
export interface EventBatcherOptions {
  /** Receives each batch, in arrival order. */
  apply(events: readonly ChatEvent[]): void
  scheduler?: FrameScheduler
  /**
   * The most events held between frames. When reached, the batch is applied at once, so the
   * queue stays bounded even when frames are slow (hidden tab) and the network is fast.
   */
  maxBatchSize?: number
}

/** A per-frame event queue in front of the store. */
export interface EventBatcher {
  /** Queue one event; a terminal event flushes the queue at once. */
  push(event: ChatEvent): void
  /** Apply everything queued now. */
  flush(): void
  /** Drop everything queued without applying it, and cancel the pending frame. */
  clear(): void
  /** How many events wait for the next frame. */
  readonly size: number
}

/**
 * Create a batcher.
 *
 * @example
 * ```ts
 * const batcher = createEventBatcher({ apply: store.getState().apply, scheduler: createManualScheduler() })
 * ```
 */
export function createEventBatcher(options: EventBatcherOptions): EventBatcher {
  const scheduler = options.scheduler ?? defaultFrameScheduler
  const maxBatchSize = options.maxBatchSize ?? 1024
  let queue: ChatEvent[] = []
  let cancelFrame: (() => void) | undefined

  function flush(): void {
    cancelFrame?.()
    cancelFrame = undefined
    if (queue.length === 0) return
    const batch = queue
    queue = []
    options.apply(batch)
  }

  return {
    push(event) {
      queue.push(event)
      if (isTerminalEvent(event) || queue.length >= maxBatchSize) {
        flush()
        return
      }
      cancelFrame ??= scheduler.schedule(() => {
        cancelFrame = undefined
        flush()
      })
    },
    flush,
    clear() {
      cancelFrame?.()
      cancelFrame = undefined
      queue = []
    },
    get size() {
      return queue.length
    },
  }
}
