// The README's `@sluice/core` quick start (core-quick-start.ts, quoted verbatim by README.md and
// packages/core/README.md) run against @sluice/msw's Anthropic and OpenAI mocks.
import { messageText } from '@sluice/core'
import { anthropic, openai, scenario } from '@sluice/msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { ask, logEvents } from './core-quick-start.ts'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  vi.restoreAllMocks()
})
afterAll(() => server.close())

test('ask() streams an Anthropic answer to a complete message, with the placeholder key as it is written', async () => {
  const mock = anthropic.messages(scenario().text('It is sunny in Paris.'))
  server.use(mock)
  const message = await ask('Weather in Paris?')
  expect(message.status).toBe('complete')
  expect(messageText(message)).toBe('It is sunny in Paris.')
  // The placeholder is ASCII: fetch sends it (a non-ISO-8859-1 header value would throw).
  expect(mock.lastCall?.headers['x-api-key']).toBe('YOUR_ANTHROPIC_API_KEY')
  expect(mock.lastCall?.body).toMatchObject({
    stream: true,
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
  })
})

test('ask() names the HTTP status when the provider refuses', async () => {
  server.use(anthropic.messages(scenario().httpError(401)))
  await expect(ask('Hello', 'wrong-key')).rejects.toThrow('Anthropic answered HTTP 401')
})

test('logEvents() prints every text delta of an OpenAI stream', async () => {
  server.use(openai.chatCompletions(scenario().text('Hello from the model.')))
  const response = await fetch('https://api.openai.com/v1/chat/completions', {
    method: 'POST',
    body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [] }),
  })
  const printed: unknown[] = []
  vi.spyOn(console, 'log').mockImplementation((value: unknown) => {
    printed.push(value)
  })
  await logEvents(response.body!)
  expect(printed.length).toBeGreaterThan(1)
  expect(printed.join('')).toBe('Hello from the model.')
})
