/**
 * One contract, two stores: the in-memory store and the Redis store (a real redis-server) must
 * behave the same for everything the relay relies on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryStreamStore } from '../../../packages/server/src/memory-stream-store.ts'
import { createRedisStreamStore } from '../../../packages/server/src/redis-stream-store.ts'
import {
  type StreamEvent,
  type StreamStore,
  StreamStoreError,
  type StreamStoreOptions,
} from '../../../packages/server/src/stream-store.ts'
import { type RedisProcess, startRedis } from './redis-process.ts'

let redis: RedisProcess
let storeCount = 0
const stores: StreamStore[] = []
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()))
  await redis?.stop()
})

interface StoreKind {
  name: string
  create: (options?: StreamStoreOptions) => StreamStore
  /** A second handle on the same streams (another instance), when the store is shared. */
  shared?: (options: StreamStoreOptions, keyPrefix: string) => StreamStore
}
const kinds: StoreKind[] = [
  { name: 'memory', create: (options) => createMemoryStreamStore(options) },
  {
    name: 'redis',
    // A prefix per store: tests never see each other's streams.
    create: (options) =>
      createRedisStreamStore({ ...options, url: redis.url, keyPrefix: `contract-${++storeCount}:` }),
    shared: (options, keyPrefix) => createRedisStreamStore({ ...options, url: redis.url, keyPrefix }),
  },
]

async function collect(iterable: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = []
  for await (const event of iterable) events.push(event)
  return events
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return { promise, resolve }
}

describe.each(kinds)('$name stream store', ({ create, shared }) => {
  function store(options?: StreamStoreOptions): StreamStore {
    const created = create(options)
    stores.push(created)
    return created
  }

  it('numbers events from 0 and replays them, event names and multi-line data intact', async () => {
    const subject = store()
    const writer = (await subject.create('s1'))!
    await writer.append([{ event: 'message_start', data: '{"a":1}' }, { data: 'line one\nline two' }])
    await writer.append([{ data: '[DONE]' }])
    await writer.finish('complete')
    expect(await collect(subject.read('s1'))).toEqual([
      { index: 0, event: 'message_start', data: '{"a":1}' },
      { index: 1, data: 'line one\nline two' },
      { index: 2, data: '[DONE]' },
    ])
    expect(await subject.info('s1')).toMatchObject({ status: 'complete', length: 3 })
  })

  it('continues after the given index (Last-Event-ID), and a finished stream read past its end is empty', async () => {
    const subject = store()
    const writer = (await subject.create('s2'))!
    await writer.append(['a', 'b', 'c', 'd'].map((data) => ({ data })))
    await writer.finish('complete')
    expect((await collect(subject.read('s2', { after: 1 }))).map((event) => event.data)).toEqual(['c', 'd'])
    expect(await collect(subject.read('s2', { after: 3 }))).toEqual([])
  })

  it('gives an id to one writer only', async () => {
    const subject = store()
    expect(await subject.create('s3')).toBeDefined()
    expect(await subject.create('s3')).toBeUndefined()
  })

  it('follows a running stream live until it finishes', async () => {
    const subject = store()
    const writer = (await subject.create('live'))!
    await writer.append([{ data: 'first' }])
    const seen: string[] = []
    const firstSeen = deferred()
    const reading = (async () => {
      for await (const event of subject.read('live')) {
        seen.push(event.data)
        if (event.data === 'first') firstSeen.resolve()
      }
    })()
    await firstSeen.promise
    await writer.append([{ data: 'second' }])
    await writer.append([{ data: 'third' }])
    await writer.finish('cancelled')
    await reading
    expect(seen).toEqual(['first', 'second', 'third'])
    expect((await subject.info('live'))?.status).toBe('cancelled')
  })

  it('ends a reader when its signal aborts', async () => {
    const subject = store()
    const writer = (await subject.create('aborted-reader'))!
    await writer.append([{ data: 'x' }])
    const controller = new AbortController()
    const seen: string[] = []
    const reading = (async () => {
      for await (const event of subject.read('aborted-reader', { signal: controller.signal })) {
        seen.push(event.data)
        controller.abort()
      }
    })()
    await reading
    expect(seen).toEqual(['x'])
    await writer.finish('complete')
  })

  it('throws not-found for an unknown stream and says false to stopping it', async () => {
    const subject = store()
    await expect(collect(subject.read('nobody'))).rejects.toMatchObject({ code: 'not-found' })
    expect(await subject.info('nobody')).toBeUndefined()
    expect(await subject.requestStop('nobody')).toBe(false)
  })

  it('delivers a stop request to the writer, also one made before it listened', async () => {
    const subject = store()
    const writer = (await subject.create('stop-me'))!
    const stopped = deferred()
    writer.onStop(stopped.resolve)
    expect(await subject.requestStop('stop-me')).toBe(true)
    await stopped.promise
    const late = deferred()
    writer.onStop(late.resolve)
    await late.promise
    await writer.finish('cancelled')
  })

  // One process holds a memory store and its writers: when the writer dies, so does the store.
  // For Redis the writer's instance goes away (its store closed: no heartbeat, no finish) and
  // another instance's reader must not hang.
  it.skipIf(!shared)(
    'gives up a stream whose writer stops renewing its lease: readers end interrupted, never hang',
    async () => {
      const prefix = `orphan-${++storeCount}:`
      const dying = shared!({ leaseDuration: 300 }, prefix)
      const survivor = shared!({ leaseDuration: 300 }, prefix)
      stores.push(survivor)
      const writer = (await dying.create('orphan'))!
      await writer.append([{ data: 'partial' }])
      const seen: string[] = []
      const started = Date.now()
      const reading = (async () => {
        for await (const event of survivor.read('orphan')) seen.push(event.data)
      })()
      await dying.close()
      await reading
      expect(seen).toEqual(['partial'])
      expect((await survivor.info('orphan'))?.status).toBe('interrupted')
      // The lease (300 ms) plus at most one check interval, with room for a loaded machine.
      expect(Date.now() - started).toBeLessThan(5000)
    },
  )

  it('refuses appends past maxEvents and maxBytes with too-large', async () => {
    const subject = store({ maxEvents: 3, maxBytes: 1000 })
    const writer = (await subject.create('big'))!
    await writer.append([{ data: 'a' }, { data: 'b' }])
    await expect(writer.append([{ data: 'c' }, { data: 'd' }])).rejects.toMatchObject({ code: 'too-large' })
    await expect(writer.append([{ data: 'x'.repeat(1001) }])).rejects.toBeInstanceOf(StreamStoreError)
    await writer.append([{ data: 'c' }])
    await writer.finish('error')
    expect((await collect(subject.read('big'))).map((event) => event.data)).toEqual(['a', 'b', 'c'])
  })

  it('refuses appends after finish with not-running', async () => {
    const subject = store()
    const writer = (await subject.create('done'))!
    await writer.finish('complete')
    await expect(writer.append([{ data: 'late' }])).rejects.toMatchObject({ code: 'not-running' })
  })

  it('forgets a discarded stream so its id can be used again', async () => {
    const subject = store()
    const writer = (await subject.create('again'))!
    await writer.discard()
    expect(await subject.info('again')).toBeUndefined()
    expect(await subject.create('again')).toBeDefined()
  })

  it('expires a stream expireAfter ms after its last write', async () => {
    const subject = store({ expireAfter: 200, leaseDuration: 60_000 })
    const writer = (await subject.create('short-lived'))!
    await writer.append([{ data: 'x' }])
    await writer.finish('complete')
    expect(await subject.info('short-lived')).toBeDefined()
    await expect.poll(() => subject.info('short-lived'), { timeout: 5000, interval: 50 }).toBeUndefined()
  })
})
