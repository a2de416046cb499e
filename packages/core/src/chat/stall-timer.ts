/**
 * The first-byte and idle timeouts of the HTTP transports (fetch, EventSource): one timer per
 * request, re-armed lazily (a chunk only records the time, so a million chunks cost no timer
 * calls), that fails the pending read when the server stays silent too long.
 *
 * @example
 * ```ts
 * const timer = createStallTimer({ firstByteTimeout: 60_000, idleTimeout: 60_000, url, onStall: () => controller.abort() })
 * const result = await timer.race(reader.read())
 * timer.progress()
 * ```
 * @module
 */
import { ChatRequestError } from './transport.ts'

/** The default `firstByteTimeout` of fetch and EventSource: generous for a local model reading a long prompt. */
export const defaultHttpFirstByteTimeout = 120_000
/** The default `idleTimeout` of fetch and EventSource, the WebSocket transport's too. */
export const defaultHttpIdleTimeout = 60_000

/** Options of {@link createStallTimer}. */
export interface StallTimerOptions {
  /** Milliseconds until the first piece of the answer; `0` or `Infinity` turns it off. */
  firstByteTimeout: number
  /** Milliseconds between two pieces once the answer began; `0` or `Infinity` turns it off. */
  idleTimeout: number
  /** The endpoint, named in the message. */
  url: string
  /** What carries the answer, named in the message (`fetch`, `EventSource`). */
  transport: string
  /** Called once when a timeout fires, with the error (close the connection here). */
  onStall?: (error: ChatRequestError) => void
  /**
   * Count silence only while a {@link StallTimer.race} is pending (a pull reader): a consumer
   * that is slow to ask for the next chunk is not a silent server. Off for push sources.
   */
  onlyWhileReading?: boolean
}

/** A request's silence watchdog. */
export interface StallTimer {
  /** A piece of the answer arrived: the first-byte phase ends, the idle clock restarts. */
  progress(): void
  /** `promise`, or a rejection with the timeout's error if the server stalls first. */
  race<Value>(promise: Promise<Value>): Promise<Value>
  /** The timeout's error once it fired. */
  readonly error: ChatRequestError | undefined
  /** Stop the timer (the request ended). */
  dispose(): void
}

function enabled(ms: number): boolean {
  return ms > 0 && Number.isFinite(ms)
}

/**
 * The error a timeout ends the answer with: kind `interrupted` (the text so far is kept), code
 * `first-byte-timeout` or `idle-timeout`, and a message naming the option to change.
 *
 * @example
 * ```ts
 * stallError('idleTimeout', 60_000, 'fetch', '/api/chat').error.code // 'idle-timeout'
 * ```
 */
export function stallError(
  kind: 'firstByteTimeout' | 'idleTimeout',
  ms: number,
  transport: string,
  url: string,
): ChatRequestError {
  const message =
    kind === 'idleTimeout'
      ? `No part of the answer arrived for ${ms} ms (idleTimeout) over ${transport} from ${url}. The text so far is kept; retry to ask again, or raise idleTimeout for a backend that pauses longer.`
      : `The server sent nothing for ${ms} ms after the request (firstByteTimeout) over ${transport} to ${url}. Retry, or raise firstByteTimeout for a backend that takes longer to start answering.`
  return new ChatRequestError('interrupted', {
    message,
    code: kind === 'idleTimeout' ? 'idle-timeout' : 'first-byte-timeout',
  })
}

/**
 * Start the watchdog (the first-byte phase begins now).
 *
 * @example
 * ```ts
 * const timer = createStallTimer({ firstByteTimeout: 1000, idleTimeout: 1000, url: '/api', transport: 'fetch' })
 * await timer.race(fetch('/api')).finally(() => timer.dispose())
 * ```
 */
export function createStallTimer(options: StallTimerOptions): StallTimer {
  let started = false
  let last = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  let error: ChatRequestError | undefined
  let rejectPending: ((reason: unknown) => void) | undefined
  let disposed = false

  function limit(): number {
    return started ? options.idleTimeout : options.firstByteTimeout
  }

  function arm(delay: number): void {
    if (disposed || error !== undefined) return
    const ms = limit()
    if (!enabled(ms)) return
    timer = setTimeout(check, Math.max(0, delay))
    // A pending timeout must not keep a Node process (a CLI, a test runner) alive by itself.
    ;(timer as { unref?: () => void }).unref?.()
  }

  function check(): void {
    timer = undefined
    const ms = limit()
    if (disposed || !enabled(ms)) return
    if (options.onlyWhileReading && rejectPending === undefined) {
      arm(ms)
      return
    }
    const elapsed = Date.now() - last
    if (elapsed < ms) {
      arm(ms - elapsed)
      return
    }
    error = stallError(started ? 'idleTimeout' : 'firstByteTimeout', ms, options.transport, options.url)
    const reject = rejectPending
    rejectPending = undefined
    reject?.(error)
    options.onStall?.(error)
  }

  arm(options.firstByteTimeout)

  return {
    progress() {
      last = Date.now()
      if (!started) {
        started = true
        // The first-byte timer may be shorter or longer than the idle one: arm for the new phase.
        if (timer !== undefined) clearTimeout(timer)
        timer = undefined
        arm(options.idleTimeout)
      }
    },
    race(promise) {
      if (error !== undefined) return Promise.reject(error)
      // Once the answer began, silence counts from the later of the last chunk and this read.
      if (started && options.onlyWhileReading && rejectPending === undefined) last = Date.now()
      // One settle function per call (not a shared promise every race subscribes to), so a
      // million reads leave no reactions behind.
      return new Promise((resolve, reject) => {
        rejectPending = reject
        promise.then(
          (value) => {
            if (rejectPending === reject) rejectPending = undefined
            resolve(value)
          },
          (reason: unknown) => {
            if (rejectPending === reject) rejectPending = undefined
            reject(reason)
          },
        )
      })
    },
    get error() {
      return error
    },
    dispose() {
      disposed = true
      rejectPending = undefined
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
  }
}
