/**
 * Two relay instances, A and B, sharing a real Redis, with no sticky routing: A runs in its own
 * process (so it can be killed for real), B in this one. The provider is a loopback server
 * speaking the OpenAI wire, so the tests see exactly when its connection closes.
 */
import { collectMessage, messageText } from '@sluice/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createChatHandler } from '../../../packages/server/src/create-chat-handler.ts'
import { createRedisStreamStore } from '../../../packages/server/src/redis-stream-store.ts'
import type { StreamStore } from '../../../packages/server/src/stream-store.ts'
import { type RelayProcess, startRelayProcess } from './instances.ts'
import { type RedisProcess, startRedis } from './redis-process.ts'
import {
  type ProviderServer,
  postChat,
  type RelayServer,
  readSse,
  type SseEvent,
  sseText,
  startProviderServer,
  startRelay,
} from './servers.ts'

const tokens = Array.from({ length: 60 }, (_, index) => `t${index} `)
const fullText = tokens.join('')
const conversation = { messages: [{ role: 'user', content: 'Count for me.' }] }
const lease = 600

let redis: RedisProcess
let provider: ProviderServer
let instanceA: RelayProcess
let instanceB: RelayServer
let storeB: StreamStore
let prefix = 0
const cleanups: (() => Promise<void>)[] = []

async function startPair(): Promise<void> {
  const keyPrefix = `instances-${++prefix}:`
  instanceA = await startRelayProcess({
    RELAY_PROVIDER_URL: provider.url,
    RELAY_REDIS_URL: redis.url,
    RELAY_KEY_PREFIX: keyPrefix,
    RELAY_LEASE: String(lease),
  })
  storeB = createRedisStreamStore({ url: redis.url, keyPrefix, leaseDuration: lease })
  instanceB = await startRelay(
    createChatHandler({
      provider: 'openai-chat',
      baseURL: provider.url,
      model: 'gpt-4o-mini',
      store: storeB,
    }),
  )
  const [a, b, store] = [instanceA, instanceB, storeB]
  cleanups.push(async () => {
    await a.kill()
    await b.close()
    await store.close()
  })
}

beforeAll(async () => {
  redis = await startRedis()
  provider = await startProviderServer({ tokens, interval: 20 })
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})
afterAll(async () => {
  await provider?.close()
  await redis?.stop()
})

async function decoded(events: readonly SseEvent[]) {
  const message = await collectMessage(
    (async function* () {
      yield sseText(events)
    })(),
    'openai-chat',
  )
  return { text: messageText(message), status: message.status, error: message.error?.message }
}

describe('two relay instances on one Redis', () => {
  it('starts on A, loses the client connection, resumes through B: exact text, no event duplicated or lost', async () => {
    await startPair()
    const head = await readSse(await postChat(instanceA.url, { ...conversation, streamId: 'across' }), {
      hangUpAfter: 10,
    })
    const callsAfterPost = provider.calls.length
    const resumed = await fetch(`${instanceB.url}?streamId=across`, {
      headers: { 'last-event-id': head.at(-1)!.id! },
    })
    expect(resumed.status).toBe(200)
    const tail = await readSse(resumed)
    const all = [...head, ...tail]
    expect(all.map((event) => event.id)).toEqual(all.map((_, index) => String(index)))
    expect(await decoded(all)).toEqual({ text: fullText, status: 'complete', error: undefined })
    expect(provider.calls.length).toBe(callsAfterPost)
    // And a replay from the first event through B is what A's first reader would have got.
    const replay = await readSse(await fetch(`${instanceB.url}?streamId=across`))
    expect(replay).toEqual(all)
  })

  it('stops through B: the upstream request running on A is closed within 1 s, and A’s reader ends', async () => {
    await startPair()
    const post = await postChat(instanceA.url, { ...conversation, streamId: 'stop-across' })
    const reading = readSse(post)
    await expect.poll(() => provider.calls.at(-1)?.tokensSent ?? 0, { timeout: 10_000 }).toBeGreaterThan(5)
    const call = provider.calls.at(-1)!
    const stoppedAt = Date.now()
    expect((await fetch(`${instanceB.url}?streamId=stop-across`, { method: 'DELETE' })).status).toBe(202)
    await expect.poll(() => call.closedEarly, { timeout: 1000, interval: 10 }).toBe(true)
    expect(call.closedAt! - stoppedAt).toBeLessThan(1000)
    const events = await reading
    expect(fullText.startsWith((await decoded(events)).text)).toBe(true)
    expect(call.tokensSent).toBeLessThan(tokens.length)
    const status = await fetch(`${instanceB.url}?streamId=stop-across`)
    expect(status.headers.get('x-sluice-stream-status')).toBe('cancelled')
  })

  it('A killed mid-stream: a follower on B ends interrupted after the lease, keeping what arrived, never hanging', async () => {
    await startPair()
    const post = await postChat(instanceA.url, { ...conversation, streamId: 'orphaned' })
    const head = await readSse(post, { hangUpAfter: 5 })
    const follower = readSse(await fetch(`${instanceB.url}?streamId=orphaned`))
    await instanceA.kill()
    const killedAt = Date.now()
    const events = await follower
    // The lease (600 ms) and one check interval, with room for a loaded machine.
    expect(Date.now() - killedAt).toBeLessThan(5000)
    expect(events.slice(0, head.length)).toEqual(head)
    const result = await decoded(events)
    expect(result.status).toBe('interrupted')
    expect(fullText.startsWith(result.text)).toBe(true)
    const status = await fetch(`${instanceB.url}?streamId=orphaned`)
    expect(status.headers.get('x-sluice-stream-status')).toBe('interrupted')
    // A late reader gets the same events and the same end.
    expect(await readSse(status)).toEqual(events)
  })

  it('Redis restarted mid-stream: the reader gets a clear error, the upstream is stopped, nothing half-written survives', async () => {
    await startPair()
    const post = await postChat(instanceB.url, { ...conversation, streamId: 'redis-restart' })
    const reading = readSse(post)
    await expect.poll(() => provider.calls.at(-1)?.tokensSent ?? 0, { timeout: 10_000 }).toBeGreaterThan(5)
    const call = provider.calls.at(-1)!
    await redis.restart()
    const events = await reading
    const result = await decoded(events)
    expect(result.status).toBe('error')
    expect(result.error).toMatch(/Redis stream store .* could not .* stream "redis-restart"/)
    expect(fullText.startsWith(result.text)).toBe(true)
    await expect.poll(() => call.closedEarly || call.completed, { timeout: 5000 }).toBe(true)
    expect(call.closedEarly).toBe(true)
    // Once Redis is back (the client reconnects by itself), the lost stream is a clean 404 and
    // new streams work on both instances.
    await expect
      .poll(async () => (await fetch(`${instanceB.url}?streamId=redis-restart`)).status, {
        timeout: 10_000,
        interval: 200,
      })
      .toBe(404)
    const fresh = await readSse(await postChat(instanceA.url, { ...conversation, streamId: 'after-restart' }))
    expect(await decoded(fresh)).toEqual({ text: fullText, status: 'complete', error: undefined })
  })
})
