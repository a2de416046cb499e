/**
 * The relay with the provider side on `@sluice/msw` (`setupServer`): other providers' request
 * shapes and keys, their HTTP errors, and replays that never call the provider again. The
 * handler is called in-process (a Fetch API `Request` in, a `Response` out), as a Next.js route
 * or an edge runtime calls it.
 */
import { collectMessage, messageText, type ProtocolId } from '@sluice/core'
import { anthropic, gemini, openai, scenario } from '@sluice/msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type ChatHandlerOptions,
  createChatHandler,
} from '../../../packages/server/src/create-chat-handler.ts'
import { createMemoryStreamStore } from '../../../packages/server/src/memory-stream-store.ts'
import { readSse, type SseEvent, sseText } from './servers.ts'

const mocks = setupServer()
beforeAll(() => mocks.listen({ onUnhandledRequest: 'error' }))
afterEach(() => mocks.resetHandlers())
afterAll(() => mocks.close())

const conversation = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Count for me.' },
  ],
}
const relayURL = 'http://relay.test/api/chat'

function relay(options: Partial<ChatHandlerOptions> & Pick<ChatHandlerOptions, 'provider'>) {
  return createChatHandler({
    apiKey: 'sk-test-key',
    model: 'test-model',
    store: createMemoryStreamStore(),
    ...options,
  })
}

function post(
  handler: (request: Request) => Promise<Response>,
  body: Record<string, unknown>,
): Promise<Response> {
  return handler(
    new Request(relayURL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  )
}

async function textOf(events: readonly SseEvent[], protocol: ProtocolId) {
  const message = await collectMessage(
    (async function* () {
      yield sseText(events)
    })(),
    protocol,
  )
  return { text: messageText(message), status: message.status }
}

describe('relay with msw providers', () => {
  it('relays Anthropic with its request shape (system apart, max_tokens) and x-api-key', async () => {
    const mock = anthropic.messages(
      scenario().reasoning('Counting.').text('One, two, three.').tokensPerSecond(400),
    )
    mocks.use(mock)
    const handler = relay({ provider: 'anthropic', model: 'claude-sonnet-4-5' })
    const events = await readSse(await post(handler, conversation))
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => String(index)))
    expect(events[0]?.event).toBe('message_start')
    expect(await textOf(events, 'anthropic')).toEqual({ text: 'One, two, three.', status: 'complete' })
    expect(mock.lastCall?.headers['x-api-key']).toBe('sk-test-key')
    expect(mock.lastCall?.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      stream: true,
      system: 'Be brief.',
      max_tokens: 4096,
    })
  })

  it('translates Gemini into OpenAI Chat for a client that reads OpenAI', async () => {
    const mock = gemini.streamGenerateContent(scenario().text('Uno, dos, tres.').tokensPerSecond(400))
    mocks.use(mock)
    const handler = relay({ provider: 'gemini', model: 'gemini-2.5-flash', clientProtocol: 'openai-chat' })
    const events = await readSse(await post(handler, conversation))
    expect(await textOf(events, 'openai-chat')).toEqual({ text: 'Uno, dos, tres.', status: 'complete' })
    expect(mock.lastCall?.url).toContain('/models/gemini-2.5-flash:streamGenerateContent?alt=sse')
    expect(mock.lastCall?.headers['x-goog-api-key']).toBe('sk-test-key')
    expect(mock.lastCall?.body).toMatchObject({ systemInstruction: { parts: [{ text: 'Be brief.' }] } })
  })

  it('relays OpenAI Responses with instructions and input', async () => {
    const mock = openai.responses(scenario().text('Counted.').tokensPerSecond(400))
    mocks.use(mock)
    const handler = relay({ provider: 'openai-responses', clientProtocol: 'ai-sdk' })
    const events = await readSse(await post(handler, conversation))
    expect(await textOf(events, 'ai-sdk')).toEqual({ text: 'Counted.', status: 'complete' })
    expect(mock.lastCall?.body).toMatchObject({
      instructions: 'Be brief.',
      input: [{ role: 'user', content: 'Count for me.' }],
    })
  })

  it('answers a provider error with its status and message, in the client protocol error shape', async () => {
    mocks.use(openai.chatCompletions(scenario().httpError(429)))
    const handler = relay({ provider: 'openai-chat' })
    const response = await post(handler, { ...conversation, streamId: 'refused' })
    expect(response.status).toBe(429)
    const body = (await response.json()) as { error?: { message?: string } }
    expect(body.error?.message).toMatch(/rate limit/i)
    // A stream that never started is forgotten: the same id may be sent again.
    expect((await handler(new Request(`${relayURL}?streamId=refused`))).status).toBe(404)
  })

  it('ends the stream with an error event that keeps the partial answer when the provider fails mid-stream', async () => {
    mocks.use(
      openai.chatCompletions(
        scenario().text('Partial answer before').errorMidstream('The server had an error.'),
      ),
    )
    const handler = relay({ provider: 'openai-chat', clientProtocol: 'ai-sdk' })
    const response = await post(handler, { ...conversation, streamId: 'midstream' })
    const events = await readSse(response)
    const result = await textOf(events, 'ai-sdk')
    expect(result.status).toBe('error')
    expect(result.text).toBe('Partial answer before')
    const status = await handler(new Request(`${relayURL}?streamId=midstream`))
    expect(status.headers.get('x-sluice-stream-status')).toBe('error')
  })

  it('replays exactly the ids, event names and data the first reader got, without calling the provider', async () => {
    const mock = anthropic.messages(scenario().text('Replay me exactly, please.').tokensPerSecond(500))
    mocks.use(mock)
    const handler = relay({ provider: 'anthropic' })
    const first = await readSse(await post(handler, { ...conversation, streamId: 'replay' }))
    const replay = await handler(new Request(`${relayURL}?streamId=replay`))
    expect(replay.headers.get('x-sluice-stream-status')).toBe('complete')
    expect(await readSse(replay)).toEqual(first)
    expect(mock.calls.length).toBe(1)
  })

  it('stops the upstream request on DELETE: msw sees the request aborted', async () => {
    const mock = openai.chatCompletions(
      scenario().text('a b c d e f g h i j k l m n o p q r s t u v w x y z').tokensPerSecond(20),
    )
    mocks.use(mock)
    const handler = relay({ provider: 'openai-chat' })
    const response = await post(handler, { ...conversation, streamId: 'msw-stop' })
    const reading = readSse(response)
    await expect.poll(() => mock.lastCall !== undefined).toBe(true)
    const stop = await handler(new Request(`${relayURL}?streamId=msw-stop`, { method: 'DELETE' }))
    expect(stop.status).toBe(202)
    await expect.poll(() => mock.lastCall?.aborted, { timeout: 1000, interval: 10 }).toBe(true)
    const events = await reading
    expect((await textOf(events, 'openai-chat')).text.length).toBeLessThan(51)
  })
})
