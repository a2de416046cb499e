/**
 * Stopping and failing, end to end: Stop keeps the partial answer, an HTTP error and a dropped
 * connection are shown with Retry, and Retry gets the whole answer (the playground's faults hit
 * the first request of each message; Retry is a new request).
 */
import { expect, test } from '@playwright/test'
import {
  answerText,
  lastAnswer,
  openPlayground,
  saveScreenshot,
  sendMessage,
  textAnswer,
} from './playground.ts'

test('Stop mid-stream keeps the partial answer as cancelled and nothing arrives after it', async ({
  page,
}, testInfo) => {
  await openPlayground(page, 'provider=anthropic&scenario=slow&latency=300&tps=6')
  await sendMessage(page, 'Tell me something slowly')
  const answer = lastAnswer(page)
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  await expect.poll(async () => (await answerText(answer)).split(' ').length).toBeGreaterThan(3)

  await page.getByRole('button', { name: 'Stop' }).click()
  await expect(answer).toHaveAttribute('data-status', 'cancelled')
  const partial = await answerText(answer)
  expect(partial.length).toBeGreaterThan(0)
  expect(textAnswer.startsWith(partial)).toBe(true)
  expect(partial.length).toBeLessThan(textAnswer.length)
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
  await expect(page.getByRole('log')).toHaveAttribute('aria-busy', 'false')
  await saveScreenshot(page, testInfo, 'stopped')

  // The mock would have kept sending at 6 tokens/s: nothing more may show up.
  await page.waitForTimeout(1000)
  expect(await answerText(answer)).toBe(partial)
  await expect(answer).toHaveAttribute('data-status', 'cancelled')
})

test('an HTTP error shows the provider message with Retry, and Retry completes the answer', async ({
  page,
}, testInfo) => {
  await openPlayground(page, 'provider=openai-chat&scenario=http-error')
  await sendMessage(page, 'Hello')
  const answer = lastAnswer(page)
  await expect(answer).toHaveAttribute('data-status', 'error')
  await expect(answer).toContainText(/rate limit/i)
  await saveScreenshot(page, testInfo, 'http-error')

  await answer.getByRole('button', { name: 'Retry' }).click()
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  expect(await answerText(lastAnswer(page))).toBe(textAnswer)
  await expect(page.locator('[data-role="assistant"]')).toHaveCount(1)
  await saveScreenshot(page, testInfo, 'http-error-retried')
})

test('a dropped connection keeps the partial answer as interrupted, and Retry completes it', async ({
  page,
}, testInfo) => {
  await openPlayground(page, 'provider=ollama&scenario=disconnect')
  await sendMessage(page, 'Hello')
  const answer = lastAnswer(page)
  await expect(answer).toHaveAttribute('data-status', 'interrupted')
  const partial = await answerText(answer)
  expect(partial.length).toBeGreaterThan(0)
  expect(partial.length).toBeLessThan(textAnswer.length)
  expect(textAnswer.startsWith(partial)).toBe(true)
  await saveScreenshot(page, testInfo, 'disconnected')

  await answer.getByRole('button', { name: 'Retry' }).click()
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  expect(await answerText(lastAnswer(page))).toBe(textAnswer)
  await expect(page.locator('[data-role="assistant"]')).toHaveCount(1)
})

test('an error event mid-stream marks the answer as error with the provider message', async ({ page }) => {
  await openPlayground(page, 'provider=anthropic&scenario=error-midstream&tps=80')
  await sendMessage(page, 'Hello')
  const answer = lastAnswer(page)
  await expect(answer).toHaveAttribute('data-status', 'error')
  await expect(answer).toContainText('The model is overloaded')
  await answer.getByRole('button', { name: 'Retry' }).click()
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
})
