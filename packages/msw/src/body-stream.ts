/**
 * A stream plan → a `ReadableStream` that sends it with its delays, stops when the client goes
 * away and reports how it ended.
 *
 * @module
 */
import type { StreamPlan } from './stream-plan.ts'

/** How a body stream ended, for the call record. */
export type BodyOutcome = 'completed' | 'aborted' | 'faulted'

/**
 * Resolve after `milliseconds`, or at once when the signal aborts.
 *
 * @example
 * ```ts
 * await sleep(50, request.signal)
 * ```
 */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  if (milliseconds <= 0 || signal?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, milliseconds)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * The body of a mocked response. Pull-based: each chunk is produced after its delay. When the
 * request's signal aborts or the reader cancels, production stops at once (no timer keeps
 * running, a stall is released) and `onEnd('aborted')` is called.
 *
 * @example
 * ```ts
 * return new HttpResponse(createBodyStream(plan, request.signal, (outcome) => log(outcome)), { headers })
 * ```
 */
export function createBodyStream(
  plan: StreamPlan,
  signal: AbortSignal | undefined,
  onEnd: (outcome: BodyOutcome) => void,
): ReadableStream<Uint8Array> {
  let index = 0
  let ended = false
  const cancelled = new AbortController()
  const finish = (outcome: BodyOutcome) => {
    if (ended) return
    ended = true
    signal?.removeEventListener('abort', onAbort)
    onEnd(outcome)
  }
  const onAbort = () => {
    cancelled.abort()
    finish('aborted')
  }
  if (signal?.aborted) onAbort()
  else signal?.addEventListener('abort', onAbort, { once: true })

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (cancelled.signal.aborted) return
      const chunk = plan.chunks[index]
      if (chunk !== undefined) {
        index += 1
        await sleep(chunk.delay, cancelled.signal)
        if (cancelled.signal.aborted) return
        controller.enqueue(chunk.bytes)
        return
      }
      switch (plan.ending) {
        case 'end':
          controller.close()
          finish('completed')
          return
        case 'close':
          controller.close()
          finish('faulted')
          return
        case 'error':
          controller.error(new TypeError('The mock dropped the connection (disconnectAfter).'))
          finish('faulted')
          return
        case 'stall':
          // Never resolves until the client goes away: a server that hangs mid-answer.
          await new Promise<void>((resolve) => {
            if (cancelled.signal.aborted) resolve()
            else cancelled.signal.addEventListener('abort', () => resolve(), { once: true })
          })
          return
      }
    },
    cancel() {
      cancelled.abort()
      finish('aborted')
    },
  })
}
