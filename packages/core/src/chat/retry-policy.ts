/**
 * Retrying a request that failed before its first byte: exponential backoff with full jitter,
 * capped. A request that already streamed something is never re-sent by this policy (a
 * half-streamed answer is never silently re-requested); `retry()` and `resume()` do that when
 * the user asks.
 *
 * @example
 * ```ts
 * retryDelay({ attempts: 3, baseDelay: 500, maxDelay: 8000 }, 2, () => 0.5) // 1000
 * ```
 * @module
 */

/** How often and how fast to retry a request that failed before its first byte. */
export interface RetryOptions {
  /** Retries after the first attempt (0 turns retrying off). */
  attempts: number
  /** The first delay, in ms; it doubles each retry. */
  baseDelay: number
  /** The largest delay, in ms. */
  maxDelay: number
}

/** Two retries, 500 ms then about 1 s. Pass `retry: false` for non-idempotent endpoints. */
export const defaultRetryOptions: RetryOptions = { attempts: 2, baseDelay: 500, maxDelay: 8000 }

/** HTTP statuses worth retrying: timeouts, rate limits and transient server failures. */
export const retryableStatuses: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504, 529])

/**
 * The delay before retry number `retry` (1-based): `baseDelay * 2^(retry-1)`, capped at
 * `maxDelay`, scaled by a random factor in [0.5, 1) so many clients do not retry in step.
 * A server's `Retry-After` (ms) wins when it is longer.
 *
 * @example
 * ```ts
 * retryDelay(defaultRetryOptions, 1, Math.random) // between 250 and 500
 * ```
 */
export function retryDelay(
  options: RetryOptions,
  retry: number,
  random: () => number = Math.random,
  retryAfter?: number,
): number {
  const exponential = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.max(0, retry - 1))
  const delay = exponential * (0.5 + random() / 2)
  return retryAfter !== undefined && retryAfter > delay ? Math.min(retryAfter, options.maxDelay) : delay
}

/**
 * Wait `ms`, or reject at once with the signal's reason when it aborts.
 *
 * @example
 * ```ts
 * await sleep(500, controller.signal)
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
