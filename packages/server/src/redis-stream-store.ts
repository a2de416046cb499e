/**
 * The Redis stream store: many relay instances behind a load balancer without sticky
 * sessions. The log of a stream is a Redis Stream whose entry ids are `0-<index + 1>`, so
 * every instance reads the same SSE ids; a hash holds the status, the owner's lease and the
 * stop flag; pub/sub wakes live readers and carries stop requests. Every multi-key step is one
 * Lua script, so a reader never sees half an append and a stream never changes owner.
 *
 * Uses the official `redis` client (an optional peer dependency), loaded on first use.
 *
 * @module
 */
import {
  createSizeGuard,
  type FinishedStreamStatus,
  type ResolvedStreamStoreOptions,
  resolveStreamStoreOptions,
  type StreamEvent,
  type StreamInfo,
  type StreamStatus,
  type StreamStore,
  StreamStoreError,
  type StreamStoreOptions,
  type StreamWriter,
} from './stream-store.ts'

/** The part of a node-redis client the store uses (v5 and v6 both have it). */
export interface RedisClientLike {
  readonly isOpen: boolean
  connect(): Promise<unknown>
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  duplicate(): RedisClientLike
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>
  unsubscribe(channel: string, listener?: (message: string, channel: string) => void): Promise<unknown>
  on(event: 'error', listener: (error: Error) => void): unknown
  close?(): Promise<unknown>
  quit?(): Promise<unknown>
}

/** Options for {@link createRedisStreamStore}. */
export interface RedisStreamStoreOptions extends StreamStoreOptions {
  /** `redis://host:port/db`; the client is created with `disableOfflineQueue` so a lost Redis fails fast. */
  url?: string
  /**
   * A node-redis client of your own (connected or not) instead of `url`. The store duplicates
   * it once for pub/sub and does not close it. Create it with `disableOfflineQueue: true`, or a
   * Redis outage makes writes wait instead of failing.
   */
  client?: RedisClientLike
  /** Prefix of every key and channel. Default `sluice:stream:`. */
  keyPrefix?: string
  /** Most log entries read per round trip. Default 256. */
  readBatchSize?: number
}

const createScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], 'status', 'running', 'createdAt', now, 'leaseUntil', now + tonumber(ARGV[2]), 'length', 0, 'owner', ARGV[1], 'stop', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`

// ARGV: owner, expireAfter, leaseDuration, channel, then (event, data) pairs.
const appendScript = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status ~= 'running' or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return -2 end
local length = tonumber(redis.call('HGET', KEYS[1], 'length'))
for i = 5, #ARGV, 2 do
  length = length + 1
  redis.call('XADD', KEYS[2], '0-' .. length, 'e', ARGV[i], 'd', ARGV[i + 1])
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], 'length', length, 'leaseUntil', now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[4], length)
return length`

// ARGV: owner, expireAfter, leaseDuration. Returns the stop flag, -1 when gone, -2 when given up.
const heartbeatScript = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status ~= 'running' or redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return -2 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], 'leaseUntil', now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return tonumber(redis.call('HGET', KEYS[1], 'stop'))`

// ARGV: owner, status, expireAfter, channel.
const finishScript = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
redis.call('PUBLISH', ARGV[4], 'end')
return 1`

// ARGV: owner.
const discardScript = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1`

// ARGV: stop channel.
const stopScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'stop', 1)
redis.call('PUBLISH', ARGV[1], 'stop')
return 1`

// The status (a running stream whose lease ran out becomes interrupted, once, for everyone),
// the length, createdAt, then log entries from ARGV[1] (an entry id), at most ARGV[2] of them.
// ARGV[3] is the notify channel. Reading status and entries in one script means a stream seen
// finished has no entry after those returned.
const readScript = `
local meta = redis.call('HMGET', KEYS[1], 'status', 'length', 'createdAt', 'leaseUntil')
if not meta[1] then return false end
local status = meta[1]
if status == 'running' then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  if tonumber(meta[4]) < now then
    status = 'interrupted'
    redis.call('HSET', KEYS[1], 'status', status)
    redis.call('PUBLISH', ARGV[3], 'end')
  end
end
local entries = {}
if tonumber(ARGV[2]) > 0 then entries = redis.call('XRANGE', KEYS[2], ARGV[1], '+', 'COUNT', ARGV[2]) end
return { status, meta[2], meta[3], entries }`

const statuses: ReadonlySet<string> = new Set<StreamStatus>([
  'running',
  'complete',
  'cancelled',
  'error',
  'interrupted',
])

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}

/** One entry of an XRANGE reply inside a script reply: `[id, [field, value, …]]`. */
function parseEntry(raw: unknown): StreamEvent | undefined {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !Array.isArray(raw[1])) return undefined
  const sequence = Number(raw[0].slice(raw[0].indexOf('-') + 1))
  const fields = raw[1] as unknown[]
  let event: string | undefined
  let data: string | undefined
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === 'e' && typeof fields[index + 1] === 'string') event = fields[index + 1] as string
    if (fields[index] === 'd' && typeof fields[index + 1] === 'string') data = fields[index + 1] as string
  }
  if (!Number.isSafeInteger(sequence) || data === undefined) return undefined
  const parsed: StreamEvent = { index: sequence - 1, data }
  if (event !== undefined && event !== '') parsed.event = event
  return parsed
}

/**
 * Create a Redis stream store. Several relay instances pointed at the same Redis resume each
 * other's streams (same ids, same data), stop each other's upstream requests (pub/sub plus a
 * flag the owner's heartbeat reads) and give up the streams of an instance that died
 * (`interrupted` once its lease runs out). A lost Redis fails writes at once
 * (`StreamStoreError` `unavailable`), which the relay turns into a clear error for the reader.
 *
 * @example
 * ```ts
 * import { createChatHandler, createRedisStreamStore } from '@sluice/server'
 * const handler = createChatHandler({
 *   provider: 'anthropic',
 *   baseURL: 'https://api.anthropic.com/v1',
 *   apiKey: process.env.ANTHROPIC_API_KEY,
 *   model: 'claude-sonnet-4-5',
 *   store: createRedisStreamStore({ url: process.env.REDIS_URL, expireAfter: 24 * 60 * 60 * 1000 }),
 * })
 * ```
 */
export function createRedisStreamStore(options: RedisStreamStoreOptions = {}): StreamStore {
  const settings: ResolvedStreamStoreOptions = resolveStreamStoreOptions(options)
  const prefix = options.keyPrefix ?? 'sluice:stream:'
  const readBatchSize = options.readBatchSize ?? 256
  const where = options.url ?? (options.client ? 'the given client' : 'redis://localhost:6379')
  const ownsClient = options.client === undefined
  const owner = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
  let client: RedisClientLike | undefined
  let subscriber: RedisClientLike | undefined
  let connecting: Promise<RedisClientLike> | undefined
  let subscriberConnecting: Promise<RedisClientLike> | undefined
  let closed = false
  /** Channel → local listeners; one Redis subscription per channel however many readers. */
  const channelListeners = new Map<string, Set<(message: string) => void>>()
  const heartbeats = new Set<ReturnType<typeof setInterval>>()

  const keys = (streamId: string) => [`${prefix}${streamId}:meta`, `${prefix}${streamId}:log`]
  const notifyChannel = (streamId: string) => `${prefix}${streamId}:notify`
  const stopChannel = (streamId: string) => `${prefix}${streamId}:stop`

  function unavailable(streamId: string, action: string, cause: unknown): StreamStoreError {
    return new StreamStoreError(
      'unavailable',
      `Redis stream store (${where}) could not ${action} stream "${streamId}": ${describe(cause)}. Check that Redis is running and reachable; the stream's answer was not stored past this point.`,
      { cause },
    )
  }

  async function createClient(): Promise<RedisClientLike> {
    if (options.client) return options.client
    let redis: { createClient(options: object): unknown }
    try {
      redis = (await import('redis')) as unknown as typeof redis
    } catch (cause) {
      throw new StreamStoreError(
        'unavailable',
        'createRedisStreamStore needs the `redis` package (the official node-redis client): npm install redis',
        { cause },
      )
    }
    return redis.createClient({
      ...(options.url === undefined ? {} : { url: options.url }),
      // Fail commands while disconnected instead of queueing them: an append must not wait
      // for a Redis that may never come back while the upstream keeps generating.
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
    }) as RedisClientLike
  }

  function connected(): Promise<RedisClientLike> {
    if (closed)
      return Promise.reject(new StreamStoreError('unavailable', 'The Redis stream store was closed.'))
    connecting ??= (async () => {
      const created = await createClient()
      // node-redis reports connection errors as events; unhandled, they would crash the process.
      // Commands fail on their own while it is down, which is where callers hear about it.
      created.on('error', () => {})
      if (!created.isOpen) await created.connect()
      client = created
      return created
    })().catch((error: unknown) => {
      connecting = undefined
      throw error
    })
    return connecting
  }

  function subscriberConnected(): Promise<RedisClientLike> {
    subscriberConnecting ??= (async () => {
      const duplicate = (await connected()).duplicate()
      duplicate.on('error', () => {})
      await duplicate.connect()
      subscriber = duplicate
      return duplicate
    })().catch((error: unknown) => {
      subscriberConnecting = undefined
      throw error
    })
    return subscriberConnecting
  }

  async function evaluate(script: string, scriptKeys: string[], args: string[]): Promise<unknown> {
    const redis = await connected()
    return redis.eval(script, { keys: scriptKeys, arguments: args })
  }

  function dispatch(message: string, channel: string): void {
    for (const listener of [...(channelListeners.get(channel) ?? [])]) listener(message)
  }

  /** Listen on a channel; resolves once Redis confirmed the subscription. */
  async function listen(channel: string, listener: (message: string) => void): Promise<() => void> {
    let listeners = channelListeners.get(channel)
    const first = listeners === undefined
    if (listeners === undefined) {
      listeners = new Set()
      channelListeners.set(channel, listeners)
    }
    listeners.add(listener)
    if (first) {
      try {
        await (await subscriberConnected()).subscribe(channel, dispatch)
      } catch (error) {
        listeners.delete(listener)
        if (listeners.size === 0) channelListeners.delete(channel)
        throw error
      }
    }
    return () => {
      const current = channelListeners.get(channel)
      if (current === undefined || !current.delete(listener) || current.size > 0) return
      channelListeners.delete(channel)
      subscriber?.unsubscribe(channel, dispatch).catch(() => {})
    }
  }

  return {
    async create(streamId) {
      const [metaKey, logKey] = keys(streamId) as [string, string]
      let created: unknown
      try {
        created = await evaluate(
          createScript,
          [metaKey],
          [owner, String(settings.leaseDuration), String(settings.expireAfter)],
        )
      } catch (cause) {
        throw unavailable(streamId, 'create', cause)
      }
      if (Number(created) !== 1) return undefined

      const guard = createSizeGuard(streamId, settings)
      const stopListeners = new Set<() => void>()
      const failureListeners = new Set<(error: StreamStoreError) => void>()
      let stopped = false
      let failed = false
      let finished = false
      function fireStop(): void {
        if (stopped || finished) return
        stopped = true
        for (const listener of [...stopListeners]) listener()
      }
      function fail(error: StreamStoreError): void {
        if (failed || finished) return
        failed = true
        for (const listener of [...failureListeners]) listener(error)
      }
      let unlistenStop: (() => void) | undefined
      try {
        unlistenStop = await listen(stopChannel(streamId), fireStop)
      } catch (cause) {
        await evaluate(discardScript, [metaKey, logKey], [owner]).catch(() => {})
        throw unavailable(streamId, 'subscribe to stop requests of', cause)
      }
      let beating = false
      const heartbeat = setInterval(() => {
        if (beating) return
        beating = true
        evaluate(
          heartbeatScript,
          [metaKey, logKey],
          [owner, String(settings.expireAfter), String(settings.leaseDuration)],
        )
          .then((reply) => {
            const flag = Number(reply)
            if (flag === 1) fireStop()
            else if (flag === -1 || flag === -2) {
              fail(
                new StreamStoreError(
                  'not-running',
                  `Stream "${streamId}" is ${flag === -1 ? 'gone from Redis (expired, or Redis restarted without its data)' : 'no longer running here (its lease ran out and readers gave it up)'}; stop its upstream request.`,
                ),
              )
            }
          })
          .catch((cause: unknown) => fail(unavailable(streamId, 'renew the lease of', cause)))
          .finally(() => {
            beating = false
          })
      }, settings.leaseDuration / 3)
      heartbeat.unref?.()
      heartbeats.add(heartbeat)
      function release(): void {
        finished = true
        clearInterval(heartbeat)
        heartbeats.delete(heartbeat)
        unlistenStop?.()
        unlistenStop = undefined
      }

      const writer: StreamWriter = {
        streamId,
        async append(batch) {
          if (batch.length === 0) return
          guard.admit(batch)
          const args = [
            owner,
            String(settings.expireAfter),
            String(settings.leaseDuration),
            notifyChannel(streamId),
          ]
          for (const event of batch) args.push(event.event ?? '', event.data)
          let reply: unknown
          try {
            reply = await evaluate(appendScript, [metaKey, logKey], args)
          } catch (cause) {
            throw unavailable(streamId, 'append to', cause)
          }
          const length = Number(reply)
          if (length === -1) {
            throw new StreamStoreError(
              'not-running',
              `Stream "${streamId}" is gone from Redis (expired, or Redis restarted without its data); nothing more can be appended. Stop its upstream request.`,
            )
          }
          if (length === -2) {
            throw new StreamStoreError(
              'not-running',
              `Stream "${streamId}" is no longer running here (finished, or given up as interrupted after its lease ran out); stop its upstream request.`,
            )
          }
        },
        async finish(status: FinishedStreamStatus) {
          if (finished) return
          release()
          try {
            await evaluate(
              finishScript,
              [metaKey, logKey],
              [owner, status, String(settings.expireAfter), notifyChannel(streamId)],
            )
          } catch (cause) {
            throw unavailable(streamId, `finish (${status})`, cause)
          }
        },
        async discard() {
          release()
          await evaluate(discardScript, [metaKey, logKey], [owner]).catch(() => {})
        },
        onStop(listener) {
          if (stopped) {
            queueMicrotask(listener)
            return () => {}
          }
          stopListeners.add(listener)
          return () => stopListeners.delete(listener)
        },
        onFailure(listener) {
          failureListeners.add(listener)
          return () => failureListeners.delete(listener)
        },
      }
      return writer
    },

    async info(streamId): Promise<StreamInfo | undefined> {
      const [metaKey, logKey] = keys(streamId) as [string, string]
      let reply: unknown
      try {
        reply = await evaluate(readScript, [metaKey, logKey], ['+', '0', notifyChannel(streamId)])
      } catch (cause) {
        throw unavailable(streamId, 'read', cause)
      }
      if (!Array.isArray(reply)) return undefined
      const status = String(reply[0])
      return {
        status: statuses.has(status) ? (status as StreamStatus) : 'error',
        length: Number(reply[1]) || 0,
        createdAt: Number(reply[2]) || 0,
      }
    },

    async *read(streamId, readOptions = {}) {
      const { signal } = readOptions
      const [metaKey, logKey] = keys(streamId) as [string, string]
      let next = (readOptions.after ?? -1) + 1
      // Subscribed before the first read, so an append between a read and the wait is not missed.
      let changed = false
      let wakeUp: (() => void) | undefined
      let unlisten: (() => void) | undefined
      try {
        unlisten = await listen(notifyChannel(streamId), () => {
          changed = true
          wakeUp?.()
        })
      } catch (cause) {
        throw unavailable(streamId, 'follow', cause)
      }
      let firstRead = true
      try {
        while (!signal?.aborted && !closed) {
          changed = false
          let reply: unknown
          try {
            reply = await evaluate(
              readScript,
              [metaKey, logKey],
              [`0-${next + 1}`, String(readBatchSize), notifyChannel(streamId)],
            )
          } catch (cause) {
            throw unavailable(streamId, 'read', cause)
          }
          if (!Array.isArray(reply)) {
            if (firstRead) {
              throw new StreamStoreError(
                'not-found',
                `Stream "${streamId}" is unknown or expired. Send the message again to start a new stream.`,
              )
            }
            // Gone mid-read (expired, or Redis restarted empty): the reader ends; the relay says so.
            throw new StreamStoreError(
              'not-found',
              `Stream "${streamId}" disappeared from Redis while it was read (expired, or Redis restarted without its data).`,
            )
          }
          firstRead = false
          const status = String(reply[0])
          const entries = Array.isArray(reply[3]) ? (reply[3] as unknown[]) : []
          for (const raw of entries) {
            const event = parseEntry(raw)
            if (event === undefined || event.index < next) continue
            next = event.index + 1
            yield event
            if (signal?.aborted) return
          }
          if (entries.length >= readBatchSize) continue
          if (status !== 'running') return
          if (changed) continue
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer)
              signal?.removeEventListener('abort', done)
              wakeUp = undefined
              resolve()
            }
            // Also wakes to check the owner's lease when nothing is published (a dead owner publishes nothing).
            const timer = setTimeout(done, settings.leaseDuration / 3)
            wakeUp = done
            signal?.addEventListener('abort', done, { once: true })
          })
        }
      } finally {
        unlisten()
      }
    },

    async requestStop(streamId) {
      const [metaKey] = keys(streamId) as [string, string]
      try {
        return Number(await evaluate(stopScript, [metaKey], [stopChannel(streamId)])) === 1
      } catch (cause) {
        throw unavailable(streamId, 'stop', cause)
      }
    },

    async close() {
      closed = true
      for (const heartbeat of heartbeats) clearInterval(heartbeat)
      heartbeats.clear()
      channelListeners.clear()
      const connections = [subscriber, ...(ownsClient ? [client] : [])]
      subscriber = undefined
      client = undefined
      await Promise.all(
        connections.map(async (connection) => {
          if (!connection?.isOpen) return
          await (connection.close?.() ?? connection.quit?.())?.catch?.(() => {})
        }),
      )
    },
  }
}
