// The README's saved-conversations sample (conversations-sample.tsx, quoted verbatim) in Chromium:
// the list and a history come from REST endpoints, a new answer streams from @sluice/msw's OpenAI
// mock to complete, after the saved messages.
import { openai, scenario } from '@sluice/msw'
import { HttpResponse, http } from 'msw'
import { setupWorker } from 'msw/browser'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { App } from './conversations-sample.tsx'

const chat = openai.chatCompletions(scenario().text('Lisbon in May is warm.').tokensPerSecond(200), {
  path: '/api/conversations/:id/chat',
})
const worker = setupWorker(
  http.get('/api/conversations', () =>
    HttpResponse.json([
      { id: 'c1', title: 'Trip to Lisbon' },
      { id: 'c2', title: 'Dinner ideas' },
    ]),
  ),
  http.get('/api/conversations/:id/messages', ({ params }) =>
    params.id === 'c1'
      ? HttpResponse.json([
          { id: 'c1-u1', role: 'user', content: 'Plan a trip' },
          { id: 'c1-a1', role: 'assistant', content: 'Where to?' },
        ])
      : HttpResponse.json({ error: { message: 'Not found' } }, { status: 404 }),
  ),
  chat,
)

beforeAll(() =>
  worker.start({ quiet: true, onUnhandledRequest: 'error', serviceWorker: { url: '/mockServiceWorker.js' } }),
)
afterAll(() => worker.stop())

test('the list, a saved history, and a new answer that streams to complete', async () => {
  const screen = await render(<App />)
  await screen.getByRole('button', { name: 'Trip to Lisbon' }).click()
  await expect.element(screen.getByText('Where to?')).toBeVisible()

  expect(screen.container.querySelectorAll('[data-role="assistant"]')).toHaveLength(1)
  await screen.getByRole('textbox', { name: 'Message' }).fill('When should I go?')
  await screen.getByRole('button', { name: 'Send' }).click()
  await expect.poll(() => screen.container.querySelectorAll('[data-role="assistant"]').length).toBe(2)
  await expect
    .poll(() => screen.container.querySelectorAll('[data-role="assistant"]')[1]?.getAttribute('data-status'))
    .toBe('complete')
  await expect.element(screen.getByRole('log').getByText('Lisbon in May is warm.')).toBeVisible()

  // The request carried the saved history and the body's `stream: true`.
  expect(chat.lastCall?.url).toContain('/api/conversations/c1/chat')
  expect(chat.lastCall?.body).toMatchObject({
    stream: true,
    messages: [
      { role: 'user', content: 'Plan a trip' },
      { role: 'assistant', content: 'Where to?' },
      { role: 'user', content: 'When should I go?' },
    ],
  })
})
