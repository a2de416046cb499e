/**
 * The development relay (`backends/relay/`, `npm run dev:backends`) over real TCP: the provider
 * mocked by MSW inside the relay's process, answers streamed with SSE ids, a chat created on a
 * conversation saved mid-answer (a reload) follows it to the exact end, a second chat follows
 * the same answer live, and neither calls the provider again. CORS lets the playground's origin in.
 */
import { createChat, type Message, messageText } from '@sluice/core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type DevRelay, devRelayAnswer, startDevRelay } from '../../../backends/relay/dev-relay.ts'

let relay: DevRelay
beforeAll(async () => {
  relay = await startDevRelay({ port: 0, tokensPerSecond: 60 })
})
afterAll(async () => {
  await relay.close()
})

function last(chat: ReturnType<typeof createChat>): Message {
  const state = chat.getState()
  return state.messages[state.messageIds.at(-1)!]!
}

it('answers a resumable chat with the mocked provider, exact text', async () => {
  const chat = createChat({ api: relay.url, protocol: 'openai-chat', resume: true })
  await chat.send('Hello relay.')
  expect(last(chat).status).toBe('complete')
  expect(messageText(last(chat))).toBe(devRelayAnswer)
  expect(typeof last(chat).metadata?.streamId).toBe('string')
})

it('a reload mid-answer and a second page both follow the answer to its exact end, without a new provider call', async () => {
  const first = createChat({ api: relay.url, protocol: 'openai-chat', resume: true })
  const sending = first.send('Count slowly.')
  await expect.poll(() => messageText(last(first)).length, { timeout: 10_000 }).toBeGreaterThan(10)
  const calls = relay.providerCalls()
  const saved = structuredClone(first.getState().messageIds.map((id) => first.getState().messages[id]!))
  expect(saved.at(-1)?.status).toBe('streaming')
  first.dispose({ keepStreaming: true })
  const reloaded = createChat({
    api: relay.url,
    protocol: 'openai-chat',
    resume: true,
    initialMessages: saved,
  })
  const secondPage = createChat({
    api: relay.url,
    protocol: 'openai-chat',
    resume: true,
    initialMessages: structuredClone(saved),
  })
  for (const chat of [reloaded, secondPage]) {
    await expect.poll(() => last(chat).status, { timeout: 15_000 }).toBe('complete')
    expect(messageText(last(chat))).toBe(devRelayAnswer)
  }
  expect(relay.providerCalls()).toBe(calls)
  await sending
})

it('answers a CORS preflight for the playground origin and exposes the stream headers', async () => {
  const preflight = await fetch(relay.url, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://localhost:5173',
      'access-control-request-method': 'DELETE',
      'access-control-request-headers': 'last-event-id',
    },
  })
  expect(preflight.status).toBe(204)
  expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE')
  expect(preflight.headers.get('access-control-allow-headers')).toContain('last-event-id')
  const missing = await fetch(`${relay.url}?streamId=unknown-stream`)
  expect(missing.status).toBe(404)
  expect(missing.headers.get('access-control-expose-headers')).toContain('x-sluice-stream-status')
})
