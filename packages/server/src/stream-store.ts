/**
 * What the relay keeps about every stream it runs: an append-only log of SSE events (numbered
 * from 0, the number is the SSE `id:`), a status, a lease that the instance running the stream
 * renews, and a stop signal that reaches that instance from any other. Two implementations pass
 * the same contract tests: {@link createMemoryStreamStore} (one process) and
 * {@link createRedisStreamStore} (many instances).
 *
 * @example
 * ```ts
 * import { createMemoryStreamStore } from '@sluice/server'
 * const store = createMemoryStreamStore()
 * const writer = await store.create('stream-1')
 * await writer!.append([{ data: '{"type":"text-delta","delta":"Hi"}' }])
 * await writer!.finish('complete')
 * for await (const event of store.read('stream-1')) console.log(event.index, event.data)
 * ```
 * @module
 */

/** One SSE event as the relay sends it, without its id (the log gives it one). */
export interface StreamEventInput {
  /** The SSE `event:` name, when the wire uses one (Anthropic, OpenAI Responses). */
  event?: string
  /** The SSE data: one wire frame's payload. */
  data: string
}

/** One logged event: its position in the log is its SSE id. */
export interface StreamEvent extends StreamEventInput {
  /** 0 for the first event; the SSE `id:` is this number in decimal. */
  index: number
}

/**
 * Where a stream is: `running` while the instance that owns it renews its lease; then
 * `complete` (the model finished), `cancelled` (stopped), `error` (the provider or the relay
 * failed) or `interrupted` (the upstream ended early, or the owning instance stopped renewing
 * its lease: it was killed or lost the store).
 */
export type StreamStatus = 'running' | 'complete' | 'cancelled' | 'error' | 'interrupted'

/** The statuses after which nothing more is appended. */
export type FinishedStreamStatus = Exclude<StreamStatus, 'running'>

/** What the store knows about a stream. */
export interface StreamInfo {
  status: StreamStatus
  /** How many events the log holds (the next event's index). */
  length: number
  /** When the stream was created (epoch ms). */
  createdAt: number
}

/** Options every store takes. */
export interface StreamStoreOptions {
  /**
   * How long a stream is kept after its last write (append, heartbeat or finish), in ms.
   * Default 1 hour. Resuming an expired stream answers 404.
   */
  expireAfter?: number
  /** Most events one stream may hold; the relay stops the upstream and ends the stream in `error` past it. Default 100,000. */
  maxEvents?: number
  /** Most bytes of SSE data one stream may hold. Default 16 MiB. */
  maxBytes?: number
  /**
   * How long the instance running a stream may go without renewing its lease before readers
   * give the stream up as `interrupted`, in ms. Default 10 s. The owner renews every third of it.
   */
  leaseDuration?: number
  /** The clock (epoch ms); for tests. */
  now?: () => number
}

/** Options of {@link StreamStore.read}. */
export interface StreamReadOptions {
  /** Read the events after this index (the `Last-Event-ID`); from the first event without it. */
  after?: number
  /** Ends the read; the iteration then returns. */
  signal?: AbortSignal
}

/**
 * The instance that runs a stream writes through this. Only one writer exists per stream id
 * (`create` hands it out once), so appends need no coordination between instances.
 */
export interface StreamWriter {
  readonly streamId: string
  /**
   * Append events in order. Rejects with a {@link StreamStoreError}: `too-large` past
   * `maxEvents` / `maxBytes`, `not-running` when the stream was finished or given up as
   * interrupted (the owner must stop the upstream), `unavailable` when the store failed.
   */
  append(events: readonly StreamEventInput[]): Promise<void>
  /** Mark the stream finished; readers end after the last event. Idempotent. */
  finish(status: FinishedStreamStatus): Promise<void>
  /** Forget a stream that never started (the upstream refused the request), so its id can be used again. */
  discard(): Promise<void>
  /**
   * A stop was requested through {@link StreamStore.requestStop} (on any instance). Called
   * at most once; returns the unsubscribe function.
   */
  onStop(listener: () => void): () => void
  /**
   * The store became unusable for this stream (connection lost past the lease, a failed
   * heartbeat): the owner should stop the upstream. Called at most once.
   */
  onFailure(listener: (error: StreamStoreError) => void): () => void
}

/** A stream store: the log, the status, the lease and the stop signal of every relayed stream. */
export interface StreamStore {
  /**
   * Start a stream. Resolves with its writer, or `undefined` when the id is taken (a second
   * POST with the same `streamId`). The writer renews the stream's lease until it finishes.
   */
  create(streamId: string): Promise<StreamWriter | undefined>
  /** The stream's status and length, or `undefined` when it is unknown or expired. */
  info(streamId: string): Promise<StreamInfo | undefined>
  /**
   * The events after `options.after`, then live ones as they are appended, until the stream
   * is finished (or given up as `interrupted` when its owner stops renewing the lease). Every
   * reader on every instance gets the same indexes and data. Throws a {@link StreamStoreError}
   * (`not-found`) when the stream is unknown, `unavailable` when the store fails mid-read.
   */
  read(streamId: string, options?: StreamReadOptions): AsyncIterable<StreamEvent>
  /** Ask the instance running the stream to stop it. Resolves false when the stream is unknown. */
  requestStop(streamId: string): Promise<boolean>
  /** Release timers and connections. */
  close(): Promise<void>
}

/** Why a store operation failed. */
export type StreamStoreErrorCode = 'not-found' | 'not-running' | 'too-large' | 'unavailable'

/**
 * A stream store failed. `code` says how; the message names the stream and what to do.
 *
 * @example
 * ```ts
 * try {
 *   await writer.append(events)
 * } catch (error) {
 *   if (error instanceof StreamStoreError && error.code === 'too-large') upstream.abort()
 * }
 * ```
 */
export class StreamStoreError extends Error {
  override readonly name = 'StreamStoreError'
  readonly code: StreamStoreErrorCode
  constructor(code: StreamStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
  }
}

/** The store options with their defaults filled in. */
export interface ResolvedStreamStoreOptions {
  expireAfter: number
  maxEvents: number
  maxBytes: number
  leaseDuration: number
  now: () => number
}

/**
 * The defaults of {@link StreamStoreOptions}, filled in.
 *
 * @example
 * ```ts
 * resolveStreamStoreOptions({ leaseDuration: 3000 }).maxEvents // 100000
 * ```
 */
export function resolveStreamStoreOptions(options: StreamStoreOptions = {}): ResolvedStreamStoreOptions {
  const resolved: ResolvedStreamStoreOptions = {
    expireAfter: options.expireAfter ?? 60 * 60 * 1000,
    maxEvents: options.maxEvents ?? 100_000,
    maxBytes: options.maxBytes ?? 16 * 1024 * 1024,
    leaseDuration: options.leaseDuration ?? 10_000,
    now: options.now ?? Date.now,
  }
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value === 'number' && !(Number.isFinite(value) && value > 0)) {
      throw new RangeError(
        `Stream store: option ${name} must be a positive number of ms / events / bytes, got ${value}.`,
      )
    }
  }
  return resolved
}

/** Stream ids travel in URLs, Redis keys and headers: a conservative alphabet, bounded. */
const streamIdPattern = /^[A-Za-z0-9_.:-]{1,128}$/

/**
 * Whether a string may be a stream id: 1 to 128 characters of letters, digits and `_ . : -`.
 *
 * @example
 * ```ts
 * isValidStreamId('3f1c9a2e-9b1e-4c55-8f2f-0b7c4f3e5d11') // true
 * isValidStreamId('../etc/passwd') // false
 * ```
 */
export function isValidStreamId(value: unknown): value is string {
  return typeof value === 'string' && streamIdPattern.test(value)
}

/** Counts what a writer appended against the size limits; shared by both stores. */
export function createSizeGuard(streamId: string, options: ResolvedStreamStoreOptions) {
  let events = 0
  let bytes = 0
  return {
    /** Throws `too-large` when `batch` would pass a limit; counts it otherwise. */
    admit(batch: readonly StreamEventInput[]): void {
      let batchBytes = 0
      for (const event of batch) batchBytes += event.data.length + (event.event?.length ?? 0)
      if (events + batch.length > options.maxEvents || bytes + batchBytes > options.maxBytes) {
        throw new StreamStoreError(
          'too-large',
          `Stream "${streamId}" passed the store's limit (${options.maxEvents} events, ${options.maxBytes} bytes). Raise maxEvents / maxBytes on the store, or ask the model for a shorter answer.`,
        )
      }
      events += batch.length
      bytes += batchBytes
    },
  }
}
