/**
 * The playground's real-backend mode on the `@sluice/server` relay (issue 16 item 4): the
 * development relay (`backends/relay/`, provider mocked by MSW in its process) on a free port,
 * the built playground pointed at it with `?backend=…&backendResume=1`. Send, reload mid-answer:
 * the saved conversation reopens, the answer follows its stream to the exact end, with one
 * assistant message and no second provider call.
 */
import { expect, test } from '@playwright/test'
import { type DevRelay, devRelayAnswer, startDevRelay } from '../../backends/relay/dev-relay.ts'
import { answerText, lastAnswer, openPlayground, sendMessage } from './playground.ts'

let relay: DevRelay

test.beforeAll(async () => {
  relay = await startDevRelay({ port: 0, tokensPerSecond: 10 })
})

test.afterAll(async () => {
  await relay?.close()
})

test('the playground on the relay: a reload mid-answer continues the same answer to its exact end', async ({
  page,
}) => {
  const target = new URLSearchParams({
    backend: relay.url,
    backendProtocol: 'openai-chat',
    backendTransport: 'fetch',
    backendResume: '1',
  })
  await openPlayground(page, target.toString())
  await sendMessage(page, 'Count for me.')
  const answer = lastAnswer(page)
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  // A few words in, well before the end (60 words at 10 words/s).
  await expect
    .poll(async () => (await answerText(answer)).split(' ').length, { timeout: 15_000 })
    .toBeGreaterThan(5)
  const callsBefore = relay.providerCalls()
  // The conversation is in the URL once it is saved; the reload reopens it.
  await expect(page).toHaveURL(/conversation=/)
  await page.reload()
  const resumed = lastAnswer(page)
  await expect(resumed).toHaveAttribute('data-status', 'complete', { timeout: 30_000 })
  expect(await answerText(resumed)).toBe(devRelayAnswer)
  await expect(page.locator('[data-role="assistant"]')).toHaveCount(1)
  expect(relay.providerCalls()).toBe(callsBefore)
})
