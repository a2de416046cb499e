/**
 * The relay on one instance (memory store): the contract's routes, SSE ids, passthrough and
 * translation, resume from an exact event, Stop that closes the provider's connection, and a
 * dropped client that is not a stop. The provider is a real loopback server speaking the
 * OpenAI wire (`relay-msw.test.ts` runs the provider side on `@sluice/msw`).
 */
import { collectMessage, messageText } from '@sluice/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatHandler } from '../../../packages/server/src/create-chat-handler.ts'
import { createMemoryStreamStore } from '../../../packages/server/src/memory-stream-store.ts'
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

const tokens = Array.from({ length: 40 }, (_, index) => `w${index} `)
const fullText = tokens.join('')
const conversation = { messages: [{ role: 'user', content: 'Count for me.' }] }

let provider: ProviderServer
const relays: RelayServer[] = []
beforeAll(async () => {
  provider = await startProviderServer({ tokens, interval: 15 })
})
afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.close()))
  await provider.close()
})

async function relayFor(
  options: Partial<Parameters<typeof createChatHandler>[0]> = {},
): Promise<RelayServer> {
  const relay = await startRelay(
    createChatHandler({
      provider: 'openai-chat',
      baseURL: provider.url,
      apiKey: 'sk-test-key',
      model: 'gpt-4o-mini',
      store: createMemoryStreamStore(),
      ...options,
    }),
  )
  relays.push(relay)
  return relay
}

async function textOf(events: readonly SseEvent[], protocol: 'openai-chat' | 'ai-sdk' | 'anthropic') {
  const message = await collectMessage(
    (async function* () {
      yield sseText(events)
    })(),
    protocol,
  )
  return { text: messageText(message), status: message.status }
}

function expectConsecutiveIds(events: readonly SseEvent[], from = 0): void {
  expect(events.map((event) => event.id)).toEqual(events.map((_, index) => String(from + index)))
}

describe('POST', () => {
  it('relays the provider stream unchanged, an id on every event (the last too), the key kept on the server', async () => {
    const relay = await relayFor()
    const response = await postChat(relay.url, { ...conversation, streamId: 'passthrough-1' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    expect(response.headers.get('x-sluice-stream-id')).toBe('passthrough-1')
    const events = await readSse(response)
    expectConsecutiveIds(events)
    expect(events.at(-1)?.data).toBe('[DONE]')
    expect(await textOf(events, 'openai-chat')).toEqual({ text: fullText, status: 'complete' })
    const call = provider.calls.at(-1)!
    expect(call.headers.authorization).toBe('Bearer sk-test-key')
    expect(call.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'Count for me.' }],
    })
  })

  it('names a stream itself when the client does not', async () => {
    const relay = await relayFor()
    const response = await postChat(relay.url, conversation)
    const streamId = response.headers.get('x-sluice-stream-id')
    expect(streamId).toMatch(/^[0-9a-f-]{36}$/)
    await readSse(response)
  })

  it('translates into the client protocol: OpenAI upstream, AI SDK UI message stream to the browser', async () => {
    const relay = await relayFor({ clientProtocol: 'ai-sdk' })
    const response = await postChat(relay.url, conversation)
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1')
    const events = await readSse(response)
    expectConsecutiveIds(events)
    expect(events.some((event) => event.data.includes('"type":"text-delta"'))).toBe(true)
    expect(await textOf(events, 'ai-sdk')).toEqual({ text: fullText, status: 'complete' })
  })

  it('refuses bodies that are not a conversation, with the field named', async () => {
    const relay = await relayFor()
    const cases: [unknown, RegExp][] = [
      [{ messages: [] }, /non-empty array/],
      [{ messages: [{ role: 'wizard', content: 'x' }] }, /messages\[0\]\.role/],
      [{ messages: [{ role: 'user', content: 7 }] }, /messages\[0\]\.content/],
      [{ ...conversation, streamId: '../../etc' }, /streamId/],
    ]
    for (const [body, pattern] of cases) {
      const response = await postChat(relay.url, body as Record<string, unknown>)
      expect(response.status).toBe(400)
      expect(JSON.stringify(await response.json())).toMatch(pattern)
    }
    const huge = await postChat(relay.url, {
      messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }],
    })
    expect(huge.status).toBe(413)
  })

  it('refuses a second POST with a stream id in use (409), pointing at GET', async () => {
    const relay = await relayFor()
    const first = await postChat(relay.url, { ...conversation, streamId: 'taken' })
    const second = await postChat(relay.url, { ...conversation, streamId: 'taken' })
    expect(second.status).toBe(409)
    expect(JSON.stringify(await second.json())).toContain('GET ?streamId=taken')
    await readSse(first)
  })
})

describe('GET (resume and follow)', () => {
  it('continues after Last-Event-ID with nothing duplicated or missed, while the answer is still streaming', async () => {
    const relay = await relayFor()
    const head = await readSse(await postChat(relay.url, { ...conversation, streamId: 'resume-live' }), {
      hangUpAfter: 8,
    })
    const resumed = await fetch(`${relay.url}?streamId=resume-live`, {
      headers: { 'last-event-id': head.at(-1)!.id! },
    })
    expect(resumed.headers.get('x-sluice-stream-status')).toBe('running')
    const tail = await readSse(resumed)
    expectConsecutiveIds([...head, ...tail])
    expect(await textOf([...head, ...tail], 'openai-chat')).toEqual({ text: fullText, status: 'complete' })
  })

  it('lets a second reader follow live from the first event', async () => {
    const relay = await relayFor({ clientProtocol: 'ai-sdk' })
    const post = await postChat(relay.url, { ...conversation, streamId: 'followed' })
    const follower = readSse(await fetch(`${relay.url}?streamId=followed`))
    const [original, followed] = await Promise.all([readSse(post), follower])
    expect(followed).toEqual(original)
  })

  it('answers 404 for an unknown stream and 400 for a Last-Event-ID it never sent', async () => {
    const relay = await relayFor()
    expect((await fetch(`${relay.url}?streamId=never-was`)).status).toBe(404)
    expect((await fetch(`${relay.url}?streamId=x`, { headers: { 'last-event-id': 'abc' } })).status).toBe(400)
    expect((await fetch(relay.url)).status).toBe(400)
  })
})

describe('Stop and disconnects', () => {
  it('DELETE aborts the upstream request at once (the provider sees the connection close) and ends every reader', async () => {
    const relay = await relayFor()
    const post = await postChat(relay.url, { ...conversation, streamId: 'stop-me' })
    const follower = readSse(await fetch(`${relay.url}?streamId=stop-me`))
    const reading = readSse(post)
    await expect.poll(() => provider.calls.at(-1)?.tokensSent ?? 0, { timeout: 5000 }).toBeGreaterThan(3)
    const call = provider.calls.at(-1)!
    const stoppedAt = Date.now()
    const stop = await fetch(`${relay.url}?streamId=stop-me`, { method: 'DELETE' })
    expect(stop.status).toBe(202)
    await expect.poll(() => call.closedEarly, { timeout: 1000, interval: 10 }).toBe(true)
    expect(call.closedAt! - stoppedAt).toBeLessThan(1000)
    const [original, followed] = await Promise.all([reading, follower])
    expect(followed).toEqual(original)
    expect((await textOf(original, 'openai-chat')).text.length).toBeLessThan(fullText.length)
    const status = await fetch(`${relay.url}?streamId=stop-me`)
    expect(status.headers.get('x-sluice-stream-status')).toBe('cancelled')
  })

  it('a dropped client connection is not a stop: the answer keeps generating and can be read whole later', async () => {
    const relay = await relayFor()
    await readSse(await postChat(relay.url, { ...conversation, streamId: 'dropped' }), { hangUpAfter: 3 })
    const call = provider.calls.at(-1)!
    await expect.poll(() => call.completed, { timeout: 10_000 }).toBe(true)
    expect(call.closedEarly).toBe(false)
    expect(await textOf(await readSse(await fetch(`${relay.url}?streamId=dropped`)), 'openai-chat')).toEqual({
      text: fullText,
      status: 'complete',
    })
  })

  it('with stopOnDisconnect, a dropped client connection aborts the upstream request', async () => {
    const relay = await relayFor({ stopOnDisconnect: true })
    await readSse(await postChat(relay.url, { ...conversation, streamId: 'drop-stops' }), { hangUpAfter: 3 })
    const call = provider.calls.at(-1)!
    await expect.poll(() => call.closedEarly, { timeout: 2000 }).toBe(true)
    const status = await fetch(`${relay.url}?streamId=drop-stops`)
    expect(status.headers.get('x-sluice-stream-status')).toBe('cancelled')
  })

  it('DELETE of an unknown stream is a 404', async () => {
    const relay = await relayFor()
    expect((await fetch(`${relay.url}?streamId=ghost`, { method: 'DELETE' })).status).toBe(404)
  })
})
