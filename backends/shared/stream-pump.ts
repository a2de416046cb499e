/**
 * The generation loop every reference backend shares: send planned frames one by one with the
 * behaviour's delays, stop at a cancel (or, told to ignore cancels, keep going and log every
 * chunk sent after it), fail or die after N chunks. The wire shapes are the seed's; only the
 * pacing and the faults live here.
 *
 * @module
 */
import type { BackendBehaviour } from './behaviour.ts'
import type { ObservationLog } from './observation-log.ts'

/** How a pump ended. */
export type PumpOutcome = 'completed' | 'cancelled' | 'failed' | 'died'

/** What one streamed answer needs. */
export interface PumpOptions {
  log: ObservationLog
  request: string
  behaviour: BackendBehaviour
  /** The answer's frames in order; a function is evaluated when its turn comes (for timings). */
  frames: readonly (unknown | (() => unknown))[]
  /** The pause before a frame, by index, where it is not `behaviour.delay` (a tool running). */
  delays?: ReadonlyMap<number, number>
  /** The frames sent instead of the rest when `failAfter` is reached. */
  failFrames(): readonly unknown[]
  /** Frames sent when the generator is cancelled (seed 003's `Error`), if the connection still takes them. */
  cancelFrames?(): readonly unknown[]
  /** Put one frame on the wire; false when the connection is gone. */
  write(frame: unknown): boolean | Promise<boolean>
  /** Drop the connection without a close frame or terminal event. */
  die(): void
  /** Aborted when the client cancels (a cancel frame, or the connection closed). */
  cancel: AbortSignal
}

/** Resolve after `milliseconds`, or at once when `signal` aborts. */
export function pause(milliseconds: number, signal?: AbortSignal): Promise<void> {
  if (milliseconds <= 0 || signal?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * Stream the frames. Every frame counts as a chunk for `failAfter` / `dieAfter` and the log.
 *
 * @example
 * ```ts
 * const outcome = await pumpFrames({ log, request: 'r1', behaviour, frames, failFrames: () => [], write, die, cancel })
 * ```
 */
export async function pumpFrames(options: PumpOptions): Promise<PumpOutcome> {
  const { log, request, behaviour, cancel } = options
  // A client that ignores nothing: waits end at a cancel. A backend told to ignore cancels keeps its pace.
  const waitSignal = behaviour.ignoreCancel ? undefined : cancel
  let sent = 0
  let cancelledAt: number | undefined
  const onCancel = () => {
    cancelledAt = Date.now()
  }
  cancel.addEventListener('abort', onCancel, { once: true })
  try {
    for (let index = 0; index < options.frames.length; index++) {
      await pause(
        options.delays?.get(index) ?? (index === 0 ? behaviour.firstDelay : behaviour.delay),
        waitSignal,
      )
      if (cancel.aborted && !behaviour.ignoreCancel) {
        log.record('generator-cancelled', { request, chunksSent: sent })
        for (const frame of options.cancelFrames?.() ?? []) await options.write(frame)
        return 'cancelled'
      }
      if (behaviour.dieAfter !== undefined && sent >= behaviour.dieAfter) {
        log.record('died', { request, chunksSent: sent })
        options.die()
        return 'died'
      }
      if (behaviour.failAfter !== undefined && sent >= behaviour.failAfter) {
        for (const frame of options.failFrames()) await options.write(frame)
        log.record('failed', { request, chunksSent: sent })
        return 'failed'
      }
      // A chunk is "after the stop" when it was produced after the stop arrived. One whose write
      // was under way when it arrived (a slow socket, a busy machine) was produced before it.
      const stoppedAt = cancelledAt
      const planned = options.frames[index]
      const frame = typeof planned === 'function' ? (planned as () => unknown)() : planned
      const written = await options.write(frame)
      sent++
      if (stoppedAt !== undefined) {
        log.record('chunk-after-stop', { request, index, afterStopMs: Date.now() - stoppedAt, written })
      } else if (cancelledAt !== undefined) {
        log.record('chunk', { request, index, stopArrivedWhileWriting: true })
      } else {
        log.record('chunk', { request, index })
      }
    }
    log.record('completed', { request, chunksSent: sent })
    return 'completed'
  } finally {
    cancel.removeEventListener('abort', onCancel)
  }
}
