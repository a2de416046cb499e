/**
 * A bounded queue between a push source (EventSource, WebSocket: neither can be paused) and a
 * pull consumer (the controller's read loop). The consumer drains it every microtask, so it
 * only fills when the page is blocked; past `maxSize` the source is too fast to keep up with
 * and the queue fails instead of growing without bound.
 *
 * @example
 * ```ts
 * const queue = createPushQueue<string>(1000)
 * socket.onmessage = (event) => queue.push(event.data)
 * for await (const data of queue) handle(data)
 * ```
 * @module
 */

/** A bounded async queue. */
export interface PushQueue<T> extends AsyncIterable<T> {
  push(item: T): void
  /** No more items: iteration ends after the queued ones. */
  end(): void
  /** Iteration throws `error` after the queued items. */
  fail(error: unknown): void
  readonly ended: boolean
}

/**
 * Create a push queue.
 *
 * @example
 * ```ts
 * const queue = createPushQueue<number>(10)
 * queue.push(1)
 * queue.end()
 * for await (const item of queue) console.log(item) // 1
 * ```
 */
export function createPushQueue<T>(maxSize: number, onReturn?: () => void): PushQueue<T> {
  const items: T[] = []
  let head = 0
  let ended = false
  let failure: { error: unknown } | undefined
  let wake: (() => void) | undefined

  const notify = () => {
    const resolve = wake
    wake = undefined
    resolve?.()
  }

  return {
    push(item) {
      if (ended) return
      if (items.length - head >= maxSize) {
        failure = {
          error: new Error(
            `More than ${maxSize} messages arrived before the chat could apply them. The page is too busy to keep up with the stream; the rest is dropped.`,
          ),
        }
        ended = true
        notify()
        return
      }
      items.push(item)
      notify()
    },
    end() {
      ended = true
      notify()
    },
    fail(error) {
      if (ended) return
      failure = { error }
      ended = true
      notify()
    },
    get ended() {
      return ended
    },
    async *[Symbol.asyncIterator]() {
      try {
        while (true) {
          if (head < items.length) {
            const item = items[head] as T
            items[head] = undefined as T
            head++
            // Compact now and then so the array does not grow with everything ever queued.
            if (head > 1024 && head * 2 > items.length) {
              items.splice(0, head)
              head = 0
            }
            yield item
            continue
          }
          if (failure) throw failure.error
          if (ended) return
          await new Promise<void>((resolve) => {
            wake = resolve
          })
        }
      } finally {
        onReturn?.()
      }
    },
  }
}
