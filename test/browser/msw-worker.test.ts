/**
 * The same `@sluice/msw` handlers as in the Node tests, in real Chromium with `setupWorker`:
 * provider and agent streams through the service worker, and the WebSocket mock.
 */
import { setupWorker } from 'msw/browser'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { collectMessage, encodeCancelFrame, messageText } from '../../packages/core/src/index.ts'
import {
  agentHandlers,
  anthropic,
  gemini,
  messageEventsSocket,
  openai,
  scenario,
} from '../../packages/msw/src/index.ts'

const worker = setupWorker()
beforeAll(async () => {
  await worker.start({
    quiet: true,
    onUnhandledRequest: 'error',
    serviceWorker: { url: '/mockServiceWorker.js' },
  })
})
afterEach(() => worker.resetHandlers())
afterAll(() => worker.stop())

const turn = scenario()
  .reasoning('Think first.')
  .text('Hello from the worker!')
  .toolCall('get_weather', { city: 'Paris' }, { id: 'call_1' })
  .usage({ inputTokens: 5, outputTokens: 9 })
  .chunkSizes(1, 16)

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

describe('@sluice/msw with setupWorker', () => {
  it('streams OpenAI, Anthropic, Gemini and AI SDK scenarios that Sluice reads back', async () => {
    const chat = openai.chatCompletions(turn)
    worker.use(
      chat,
      anthropic.messages(turn),
      gemini.streamGenerateContent(turn),
      agentHandlers['ai-sdk']('/api/chat', turn),
    )
    const requests = [
      [
        'openai-chat',
        'https://api.openai.com/v1/chat/completions',
        { model: 'gpt-4o', stream: true, stream_options: { include_usage: true } },
      ],
      ['anthropic', 'https://api.anthropic.com/v1/messages', { model: 'claude-sonnet-4-5', stream: true }],
      [
        'gemini',
        'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
        {},
      ],
      ['ai-sdk', '/api/chat', { messages: [] }],
    ] as const
    for (const [protocol, url, body] of requests) {
      const response = await fetch(url, post(body))
      const message = await collectMessage(response.body!, protocol)
      expect(message.status, protocol).toBe('complete')
      expect(messageText(message), protocol).toBe('Hello from the worker!')
      expect(
        message.parts.find((part) => part.type === 'tool-call'),
        protocol,
      ).toMatchObject({
        toolName: 'get_weather',
        input: { city: 'Paris' },
      })
      expect(message.usage?.outputTokens, protocol).toBe(9)
      expect(message.finishReason, protocol).toBe('tool-calls')
    }
    expect(chat.lastCall?.body).toMatchObject({ model: 'gpt-4o' })
  })

  it('answers an HTTP error fault with the provider body', async () => {
    worker.use(anthropic.messages(scenario().httpError(529)))
    const response = await fetch('https://api.anthropic.com/v1/messages', post({ stream: true }))
    expect(response.status).toBe(529)
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    })
  })

  it('serves message-events over a WebSocket and honours a cancel frame', async () => {
    const url = 'ws://localhost/api/message-events'
    const socket = messageEventsSocket(
      url,
      scenario().text('one two three four five six seven eight').drip(30),
    )
    worker.use(socket)
    const client = new WebSocket(url)
    const received: Record<string, unknown>[] = []
    client.addEventListener('message', (event) => received.push(JSON.parse(String(event.data))))
    await new Promise((resolve) => client.addEventListener('open', resolve, { once: true }))
    client.send(JSON.stringify({ type: 'message', message_id: 'b1' }))
    await expect
      .poll(() => received.filter((frame) => frame.type === 'message_stream').length)
      .toBeGreaterThan(1)
    client.send(encodeCancelFrame('b1'))
    await expect.poll(() => received.at(-1)?.type).toBe('stream_cancelled')
    expect(socket.lastCall?.cancelled).toBe(true)
    client.close()
  })
})
