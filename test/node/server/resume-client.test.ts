/**
 * `createChat({ resume: true })` against the relay over node:http: a dropped connection
 * continues in place, a new chat on a saved mid-answer conversation (a reload) follows the
 * stream to its end, and stop() stops the provider through DELETE.
 */
import { createChat, type Message, messageText, type Protocol, resolveProtocol } from '@sluice/core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createChatHandler } from '../../../packages/server/src/create-chat-handler.ts'
import { createMemoryStreamStore } from '../../../packages/server/src/memory-stream-store.ts'
import { type ProviderServer, type RelayServer, startProviderServer, startRelay } from './servers.ts'

const tokens = Array.from({ length: 40 }, (_, index) => `r${index} `)
const fullText = tokens.join('')
let provider: ProviderServer
let relay: RelayServer
beforeAll(async () => {
  provider = await startProviderServer({ tokens, interval: 15 })
  relay = await startRelay(
    createChatHandler({
      provider: 'openai-chat',
      baseURL: provider.url,
      model: 'gpt-4o-mini',
      store: createMemoryStreamStore(),
    }),
  )
})
afterAll(async () => {
  await relay.close()
  await provider.close()
})

function lastMessage(messages: Record<string, Message>, ids: readonly string[]): Message {
  return messages[ids.at(-1)!]!
}

it('continues in place after the connection drops mid-answer: exact text, nothing duplicated', async () => {
  let dropped = false
  // The first response body is cut after a few chunks, as a network change would.
  const droppingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    if (dropped || init?.method !== 'POST' || response.body === null) return response
    dropped = true
    const reader = response.body.getReader()
    let chunks = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done || ++chunks > 6) {
          await reader.cancel()
          controller.error(new TypeError('network changed'))
          return
        }
        controller.enqueue(value)
      },
    })
    return new Response(body, { status: response.status, headers: response.headers })
  }
  const chat = createChat({
    api: relay.url,
    protocol: 'openai-chat',
    resume: { delay: 50 },
    fetch: droppingFetch,
  })
  await chat.send('Count for me.')
  const state = chat.getState()
  const answer = lastMessage(state.messages, state.messageIds)
  expect(dropped).toBe(true)
  expect(answer.status).toBe('complete')
  expect(messageText(answer)).toBe(fullText)
  expect(typeof answer.metadata?.streamId).toBe('string')
})

it('a chat created on a conversation saved mid-answer (a reload) follows the stream to its end', async () => {
  const first = createChat({ api: relay.url, protocol: 'openai-chat', resume: true })
  const sending = first.send('Count again.')
  await expect
    .poll(() => {
      const state = first.getState()
      return messageText(lastMessage(state.messages, state.messageIds)).length
    })
    .toBeGreaterThan(0)
  const saved = structuredClone(first.getState().messageIds.map((id) => first.getState().messages[id]!))
  first.dispose({ keepStreaming: true })
  expect(saved.at(-1)?.status).toBe('streaming')
  const reloaded = createChat({
    api: relay.url,
    protocol: 'openai-chat',
    resume: true,
    initialMessages: saved,
  })
  await expect
    .poll(
      () => {
        const state = reloaded.getState()
        return lastMessage(state.messages, state.messageIds).status
      },
      { timeout: 10_000 },
    )
    .toBe('complete')
  const state = reloaded.getState()
  expect(messageText(lastMessage(state.messages, state.messageIds))).toBe(fullText)
  await sending
})

it('a conversation saved mid-answer and loaded after creation (setMessages, as saved history arrives) is followed to its end', async () => {
  const first = createChat({ api: relay.url, protocol: 'openai-chat', resume: true })
  const sending = first.send('Count once more.')
  await expect
    .poll(() => {
      const state = first.getState()
      return messageText(lastMessage(state.messages, state.messageIds)).length
    })
    .toBeGreaterThan(0)
  const saved = structuredClone(first.getState().messageIds.map((id) => first.getState().messages[id]!))
  first.dispose({ keepStreaming: true })
  // The page unloaded mid-answer: what the app saved says interrupted, with the stream id.
  saved.at(-1)!.status = 'interrupted'
  const reloaded = createChat({ api: relay.url, protocol: 'openai-chat', resume: true })
  const callsBefore = provider.calls.length
  // The history arrives later than the chat's creation (a query resolving).
  await new Promise((resolve) => setTimeout(resolve, 20))
  reloaded.setMessages(saved)
  await expect
    .poll(
      () => {
        const state = reloaded.getState()
        return lastMessage(state.messages, state.messageIds).status
      },
      { timeout: 10_000 },
    )
    .toBe('complete')
  const state = reloaded.getState()
  expect(messageText(lastMessage(state.messages, state.messageIds))).toBe(fullText)
  expect(state.messageIds.filter((id) => state.messages[id]!.role === 'assistant')).toHaveLength(1)
  expect(provider.calls.length).toBe(callsBefore)
  await sending
})

it('stop() sends DELETE: the provider connection closes and the answer ends cancelled', async () => {
  const chat = createChat({ api: relay.url, protocol: 'openai-chat', resume: true })
  const callsBefore = provider.calls.length
  const sending = chat.send('Count, then stop.')
  await expect.poll(() => provider.calls[callsBefore]?.tokensSent ?? 0, { timeout: 5000 }).toBeGreaterThan(3)
  const call = provider.calls[callsBefore]!
  chat.stop()
  await sending
  await expect.poll(() => call.closedEarly, { timeout: 1000, interval: 10 }).toBe(true)
  const state = chat.getState()
  expect(lastMessage(state.messages, state.messageIds).status).toBe('cancelled')
})

/** A fetch whose first POST body is cut after `keep` chunks, as a network change would cut it. */
function fetchDroppingFirstPostAfter(keep: number): { fetch: typeof fetch; dropped: () => boolean } {
  let dropped = false
  const droppingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    if (dropped || init?.method !== 'POST' || response.body === null) return response
    dropped = true
    const reader = response.body.getReader()
    let chunks = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done || ++chunks > keep) {
          await reader.cancel()
          controller.error(new TypeError('network changed'))
          return
        }
        controller.enqueue(value)
      },
    })
    return new Response(body, { status: response.status, headers: response.headers })
  }
  return { fetch: droppingFetch, dropped: () => dropped }
}

it('inlineTags: a <think> block split by a dropped connection becomes reasoning; the text is exact', async () => {
  // The tag itself is cut across deltas, and the connection drops inside the block.
  const tagged = ['<thi', 'nk>Let me ', 'count', ' first.</th', 'ink>', ...tokens.slice(0, 10)]
  const taggedProvider = await startProviderServer({ tokens: tagged, interval: 15 })
  const taggedRelay = await startRelay(
    createChatHandler({ provider: 'openai-chat', baseURL: taggedProvider.url, model: 'gpt-4o-mini' }),
  )
  try {
    const dropping = fetchDroppingFirstPostAfter(4)
    const chat = createChat({
      api: taggedRelay.url,
      protocol: 'openai-chat',
      resume: { delay: 50 },
      inlineTags: true,
      fetch: dropping.fetch,
    })
    await chat.send('Think, then count.')
    const state = chat.getState()
    const answer = lastMessage(state.messages, state.messageIds)
    expect(dropping.dropped()).toBe(true)
    expect(answer.status).toBe('complete')
    const reasoning = answer.parts.filter((part) => part.type === 'reasoning')
    expect(reasoning.map((part) => (part as { text: string }).text)).toEqual(['Let me count first.'])
    expect(messageText(answer)).toBe(tokens.slice(0, 10).join(''))
    expect(messageText(answer)).not.toContain('<')
  } finally {
    await taggedRelay.close()
    await taggedProvider.close()
  }
})

it('without inlineTags the same tags stay text, as the fetch transport leaves them', async () => {
  const tagged = ['<think>Hm.</think>', 'done']
  const taggedProvider = await startProviderServer({ tokens: tagged, interval: 5 })
  const taggedRelay = await startRelay(
    createChatHandler({ provider: 'openai-chat', baseURL: taggedProvider.url, model: 'gpt-4o-mini' }),
  )
  try {
    const chat = createChat({ api: taggedRelay.url, protocol: 'openai-chat', resume: true })
    await chat.send('Think.')
    const state = chat.getState()
    expect(messageText(lastMessage(state.messages, state.messageIds))).toBe('<think>Hm.</think>done')
  } finally {
    await taggedRelay.close()
    await taggedProvider.close()
  }
})

it('a decoder that throws mid-stream ends the answer in an error that names the protocol, keeping the text', async () => {
  const base = resolveProtocol('openai-chat')
  // A decoder bug on the fifth frame (the real decoders do not throw on any input we know of).
  const throwing: Protocol = {
    ...base,
    createDecoder(options) {
      const decoder = base.createDecoder(options)
      let frames = 0
      return {
        decode(frame) {
          if (++frames === 5) throw new RangeError('bug in the decoder')
          return decoder.decode(frame)
        },
        end: () => decoder.end(),
      }
    },
  }
  const chat = createChat({ api: relay.url, protocol: throwing, resume: true })
  await chat.send('Count, and break.')
  const state = chat.getState()
  const answer = lastMessage(state.messages, state.messageIds)
  expect(answer.status).toBe('error')
  expect(answer.error?.code).toBe('decoder-error')
  expect(answer.error?.message).toContain('openai-chat decoder failed')
  expect(answer.error?.message).toContain('bug in the decoder')
  // Frames 1–4: the role chunk, then r0 r1 r2 (this provider sends no text in its first chunk).
  expect(messageText(answer)).toBe(tokens.slice(0, 3).join(''))
})

it('a stop sent by another tab (DELETE) ends this chat’s answer cancelled, keeping what had arrived', async () => {
  const chat = createChat({ api: relay.url, protocol: 'openai-chat', resume: { delay: 50 } })
  const callsBefore = provider.calls.length
  const sending = chat.send('Count until the other tab stops you.')
  await expect.poll(() => provider.calls[callsBefore]?.tokensSent ?? 0, { timeout: 5000 }).toBeGreaterThan(5)
  const streamId = lastMessage(chat.getState().messages, chat.getState().messageIds).metadata?.streamId
  expect(typeof streamId).toBe('string')
  // The other tab is just another client of the relay.
  const stop = await fetch(`${relay.url}?streamId=${encodeURIComponent(String(streamId))}`, {
    method: 'DELETE',
  })
  expect(stop.status).toBe(202)
  await sending
  const answer = lastMessage(chat.getState().messages, chat.getState().messageIds)
  expect(answer.status).toBe('cancelled')
  expect(messageText(answer).length).toBeGreaterThan(0)
  expect(fullText.startsWith(messageText(answer))).toBe(true)
  expect(messageText(answer)).not.toBe(fullText)
  await expect
    .poll(() => provider.calls[callsBefore]!.closedEarly, { timeout: 1000, interval: 10 })
    .toBe(true)
})

it('a stream past the store’s maxEvents ends the answer in an error, keeping its text, and stops the provider', async () => {
  const smallProvider = await startProviderServer({ tokens, interval: 5 })
  const smallRelay = await startRelay(
    createChatHandler({
      provider: 'openai-chat',
      baseURL: smallProvider.url,
      model: 'gpt-4o-mini',
      store: createMemoryStreamStore({ maxEvents: 12 }),
    }),
  )
  try {
    const chat = createChat({ api: smallRelay.url, protocol: 'openai-chat', resume: { delay: 50 } })
    await chat.send('Count past the limit.')
    const answer = lastMessage(chat.getState().messages, chat.getState().messageIds)
    expect(answer.status).toBe('error')
    expect(answer.error?.message).toContain('ended in an error on the server')
    expect(messageText(answer).length).toBeGreaterThan(0)
    expect(fullText.startsWith(messageText(answer))).toBe(true)
    expect(messageText(answer)).not.toBe(fullText)
    await expect.poll(() => smallProvider.calls[0]?.closedEarly, { timeout: 2000, interval: 10 }).toBe(true)
  } finally {
    await smallRelay.close()
    await smallProvider.close()
  }
})
