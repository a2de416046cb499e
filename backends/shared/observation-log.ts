/**
 * What a reference backend observed, as JSON lines: requests, chunks sent, a client's cancel (a
 * cancel frame or a closed connection), the generator stopping, chunks sent after a stop, deaths.
 * Tests read it through `GET /log` (NDJSON) or from the server object; `echo` prints each line on
 * stdout too (what `npm run dev:backends` shows).
 *
 * @module
 */

/** One observation. `at` is `Date.now()` on the server (tests on the same machine compare clocks). */
export interface Observation {
  at: number
  seed: string
  event:
    | 'listening'
    | 'connection'
    | 'connection-closed'
    | 'request'
    | 'chunk'
    | 'cancel-received'
    | 'generator-cancelled'
    | 'chunk-after-stop'
    | 'completed'
    | 'failed'
    | 'died'
    | 'rejected'
  /** The request this observation belongs to. */
  request?: string
  [field: string]: unknown
}

/** A bounded in-memory log (the oldest lines go first past `limit`). */
export interface ObservationLog {
  record(event: Observation['event'], fields?: Record<string, unknown>): void
  entries(): Observation[]
  clear(): void
  /** The log as NDJSON, for `GET /log`. */
  toNdjson(): string
}

/**
 * Create a log for one backend.
 *
 * @example
 * ```ts
 * const log = createObservationLog('seed-001', { echo: true })
 * log.record('cancel-received', { request: 'r1', how: 'connection-closed' })
 * ```
 */
export function createObservationLog(
  seed: string,
  options: { echo?: boolean; limit?: number } = {},
): ObservationLog {
  const limit = options.limit ?? 50_000
  let lines: Observation[] = []
  return {
    record(event, fields = {}) {
      const observation: Observation = { ...fields, at: Date.now(), seed, event }
      lines.push(observation)
      if (lines.length > limit) lines = lines.slice(lines.length - limit)
      if (options.echo) process.stdout.write(`${JSON.stringify(observation)}\n`)
    },
    entries: () => [...lines],
    clear() {
      lines = []
    },
    toNdjson: () => lines.map((line) => `${JSON.stringify(line)}\n`).join(''),
  }
}
