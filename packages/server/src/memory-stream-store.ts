/**
 * The in-memory stream store: one process, no dependencies. The default of
 * `createChatHandler`; for several instances use `createRedisStreamStore`.
 *
 * @module
 */
import {
  createSizeGuard,
  type FinishedStreamStatus,
  type ResolvedStreamStoreOptions,
  resolveStreamStoreOptions,
  type StreamEvent,
  type StreamEventInput,
  type StreamInfo,
  type StreamReadOptions,
  type StreamStatus,
  type StreamStore,
  StreamStoreError,
  type StreamStoreOptions,
  type StreamWriter,
} from './stream-store.ts'

interface MemoryStream {
  events: StreamEvent[]
  status: StreamStatus
  createdAt: number
  /** Last write (append, heartbeat, finish): expiry counts from here. */
  touchedAt: number
  leaseUntil: number
  /** Readers waiting for the next append or the end. */
  waiters: Set<() => void>
  stopListeners: Set<() => void>
  /** Set once a stop was requested, for a writer that subscribes after the request. */
  stopRequested: boolean
}

function wake(stream: MemoryStream): void {
  const waiters = [...stream.waiters]
  stream.waiters.clear()
  for (const waiter of waiters) waiter()
}

/**
 * Wait for `stream` to change, at most `timeout` ms (the reader then checks the lease), or
 * until `signal` aborts.
 */
function waitForChange(
  stream: MemoryStream,
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      stream.waiters.delete(done)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, timeout)
    stream.waiters.add(done)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * Create an in-memory stream store. Streams live in this process only: a second instance
 * cannot resume or stop them (use {@link createRedisStreamStore} behind a load balancer).
 *
 * @example
 * ```ts
 * import { createChatHandler, createMemoryStreamStore } from '@sluice/server'
 * const handler = createChatHandler({
 *   provider: 'openai-chat',
 *   baseURL: 'https://api.openai.com/v1',
 *   apiKey: process.env.OPENAI_API_KEY,
 *   model: 'gpt-4o-mini',
 *   store: createMemoryStreamStore({ expireAfter: 10 * 60 * 1000 }),
 * })
 * ```
 */
export function createMemoryStreamStore(options: StreamStoreOptions = {}): StreamStore {
  const settings: ResolvedStreamStoreOptions = resolveStreamStoreOptions(options)
  const { now } = settings
  const streams = new Map<string, MemoryStream>()
  const heartbeats = new Set<ReturnType<typeof setInterval>>()
  let closed = false

  function expired(stream: MemoryStream): boolean {
    return stream.touchedAt + settings.expireAfter < now()
  }
  function get(streamId: string): MemoryStream | undefined {
    const stream = streams.get(streamId)
    if (stream === undefined) return undefined
    if (expired(stream)) {
      streams.delete(streamId)
      wake(stream)
      return undefined
    }
    return stream
  }
  /** A running stream whose owner stopped renewing its lease is given up. */
  function checkLease(stream: MemoryStream): void {
    if (stream.status === 'running' && stream.leaseUntil < now()) {
      stream.status = 'interrupted'
      wake(stream)
    }
  }

  // Expired streams go even when nobody asks for them again. Unref'd: never keeps Node alive.
  const sweeper = setInterval(
    () => {
      for (const [streamId, stream] of streams) if (expired(stream)) get(streamId)
    },
    Math.min(settings.expireAfter, 60_000),
  )
  sweeper.unref?.()

  function assertOpen(): void {
    if (closed)
      throw new StreamStoreError('unavailable', 'The memory stream store was closed. Create a new one.')
  }

  return {
    async create(streamId) {
      assertOpen()
      if (get(streamId) !== undefined) return undefined
      const at = now()
      const stream: MemoryStream = {
        events: [],
        status: 'running',
        createdAt: at,
        touchedAt: at,
        leaseUntil: at + settings.leaseDuration,
        waiters: new Set(),
        stopListeners: new Set(),
        stopRequested: false,
      }
      streams.set(streamId, stream)
      const guard = createSizeGuard(streamId, settings)
      const heartbeat = setInterval(() => {
        stream.leaseUntil = now() + settings.leaseDuration
        stream.touchedAt = now()
      }, settings.leaseDuration / 3)
      heartbeat.unref?.()
      heartbeats.add(heartbeat)
      const stopBeating = () => {
        clearInterval(heartbeat)
        heartbeats.delete(heartbeat)
      }
      const writer: StreamWriter = {
        streamId,
        async append(batch: readonly StreamEventInput[]) {
          if (stream.status !== 'running' || streams.get(streamId) !== stream) {
            throw new StreamStoreError(
              'not-running',
              `Stream "${streamId}" is ${stream.status === 'running' ? 'expired' : stream.status}; nothing more can be appended. Stop its upstream request.`,
            )
          }
          guard.admit(batch)
          for (const event of batch) {
            const stored: StreamEvent = { index: stream.events.length, data: event.data }
            if (event.event !== undefined) stored.event = event.event
            stream.events.push(stored)
          }
          stream.touchedAt = now()
          wake(stream)
        },
        async finish(status: FinishedStreamStatus) {
          stopBeating()
          stream.stopListeners.clear()
          if (stream.status !== 'running') return
          stream.status = status
          stream.touchedAt = now()
          wake(stream)
        },
        async discard() {
          stopBeating()
          if (streams.get(streamId) === stream) streams.delete(streamId)
          stream.status = 'error'
          wake(stream)
        },
        onStop(listener) {
          if (stream.stopRequested) {
            queueMicrotask(listener)
            return () => {}
          }
          const once = () => {
            stream.stopListeners.delete(once)
            listener()
          }
          stream.stopListeners.add(once)
          return () => stream.stopListeners.delete(once)
        },
        // Memory never becomes unavailable under a running writer.
        onFailure: () => () => {},
      }
      return writer
    },

    async info(streamId): Promise<StreamInfo | undefined> {
      assertOpen()
      const stream = get(streamId)
      if (stream === undefined) return undefined
      checkLease(stream)
      return { status: stream.status, length: stream.events.length, createdAt: stream.createdAt }
    },

    async *read(streamId, readOptions: StreamReadOptions = {}) {
      assertOpen()
      const { signal } = readOptions
      let next = (readOptions.after ?? -1) + 1
      const stream = get(streamId)
      if (stream === undefined) {
        throw new StreamStoreError(
          'not-found',
          `Stream "${streamId}" is unknown or expired. Send the message again to start a new stream.`,
        )
      }
      while (!signal?.aborted && !closed) {
        while (next < stream.events.length) {
          yield stream.events[next]!
          next++
          if (signal?.aborted) return
        }
        checkLease(stream)
        if (stream.status !== 'running' || streams.get(streamId) !== stream) return
        await waitForChange(stream, settings.leaseDuration / 3, signal)
      }
    },

    async requestStop(streamId) {
      assertOpen()
      const stream = get(streamId)
      if (stream === undefined) return false
      stream.stopRequested = true
      for (const listener of [...stream.stopListeners]) listener()
      return true
    },

    async close() {
      closed = true
      clearInterval(sweeper)
      for (const heartbeat of heartbeats) clearInterval(heartbeat)
      heartbeats.clear()
      for (const stream of streams.values()) wake(stream)
      streams.clear()
    },
  }
}
