import { collectMessage, messageText } from '@sluice/core'
import { openai, scenario } from '@sluice/msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

it('streams an answer', async () => {
  const mock = openai.chatCompletions(
    scenario()
      .reasoning('The user wants the weather.')
      .text('It is sunny in Paris.')
      .usage({ inputTokens: 12, outputTokens: 7 }),
  )
  server.use(mock) // a handler is an msw HttpHandler: setupServer(mock) works too

  const response = await fetch('https://api.openai.com/v1/chat/completions', {
    method: 'POST',
    body: JSON.stringify({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Weather?' }],
    }),
  })
  // Read the body to its end (your client, the official SDK, or collectMessage): only then is
  // the call `completed`.
  const message = await collectMessage(response.body!, 'openai-chat')

  expect(message.status).toBe('complete')
  expect(messageText(message)).toBe('It is sunny in Paris.')
  expect(mock.calls[0]?.body).toMatchObject({ model: 'gpt-4o' })
  expect(mock.lastCall?.completed).toBe(true)
})
