/**
 * Every provider, end to end in the built playground: the placeholder appears at once, the text
 * grows chunk by chunk, the final answer replaces it and the message ends `complete`.
 */
import { expect, test } from '@playwright/test'
import {
  answerText,
  lastAnswer,
  openPlayground,
  providers,
  readAnswerHistory,
  saveScreenshot,
  sendMessage,
  textAnswer,
  watchAnswer,
} from './playground.ts'

for (const provider of providers) {
  test(`${provider}: placeholder, growing text, final answer, complete`, async ({ page }, testInfo) => {
    // 1 s before the first byte and 15 tokens/s: every stage lasts long enough to be rendered.
    await openPlayground(page, `provider=${provider}&scenario=text&latency=1000&tps=15`)
    await watchAnswer(page)
    await sendMessage(page, 'Hello')

    await expect(page.locator('[data-role="user"]').last()).toContainText('Hello')
    const answer = lastAnswer(page)
    await expect.poll(() => answerText(answer)).not.toBe('')
    const early = await answerText(answer)
    await saveScreenshot(page, testInfo, `${provider}-streaming`)
    expect(textAnswer.startsWith(early)).toBe(true)

    await expect(answer).toHaveAttribute('data-status', 'complete')
    expect(await answerText(answer)).toBe(textAnswer)
    await expect(page.getByRole('log')).toHaveAttribute('aria-busy', 'false')
    await expect(page.getByRole('button', { name: 'Send' })).toBeVisible()
    await expect(answer.getByRole('status')).toHaveCount(0)
    await saveScreenshot(page, testInfo, `${provider}-complete`)

    // The whole life of the answer, as the page saw it (recorded in the page, so a slow machine
    // cannot make the test miss a stage): an empty placeholder with a typing indicator in a busy
    // log, then text that only grows while streaming, then the final answer, complete, at rest.
    const history = await readAnswerHistory(page)
    expect(history[0]).toEqual({ status: 'pending', textLength: 0, typing: true, busy: true })
    const streaming = history.filter((observation) => observation.status === 'streaming')
    const lengths = streaming.map((observation) => observation.textLength)
    expect(new Set(lengths.filter((length) => length > 0)).size).toBeGreaterThan(2)
    expect(lengths).toEqual([...lengths].sort((left, right) => left - right))
    expect(streaming.every((observation) => observation.busy)).toBe(true)
    expect(history.at(-1)).toEqual({
      status: 'complete',
      textLength: textAnswer.length,
      typing: false,
      busy: false,
    })
    expect(history.findIndex((observation) => observation.status === 'complete')).toBeGreaterThan(
      history.findIndex((observation) => observation.status === 'streaming'),
    )
  })
}

test('the URL reflects the provider and scenario pickers, and the metrics panel measures the answer', async ({
  page,
}) => {
  await openPlayground(page, 'provider=openai-chat&scenario=text')
  await page.getByLabel('Provider').selectOption('gemini')
  await expect(page).toHaveURL(/[?&]provider=gemini(&|$)/)
  await page.getByLabel('Scenario').selectOption('reasoning')
  await expect(page).toHaveURL(/[?&]scenario=reasoning(&|$)/)
  await page.getByLabel('Tokens per second').fill('30')
  await expect(page).toHaveURL(/[?&]tps=30(&|$)/)

  await sendMessage(page, 'How many r letters are in strawberry?')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  await expect(lastAnswer(page)).toContainText('There are three r letters')
  const metrics = page.getByRole('region', { name: /Metrics/ })
  await expect(metrics.locator('[data-metric="ttfb"]')).toHaveText(/^\d+ ms$/)
  await expect(metrics.locator('[data-metric="ttft"]')).toHaveText(/^\d+ ms$/)
  await expect(metrics.locator('[data-metric="tokens-per-second"]')).toHaveText(/^\d+\.\d$/)
  expect(Number(await metrics.locator('[data-metric="chunks"]').textContent())).toBeGreaterThan(1)
  expect(Number(await metrics.locator('[data-metric="commits"]').textContent())).toBeGreaterThan(1)
})
