import { expect, test } from '@playwright/test'
import { lastAnswer, openPlayground, sendMessage } from './playground.ts'

test('the metrics panel shows no figures before the first message, then the answer’s', async ({ page }) => {
  await openPlayground(page, 'provider=openai-chat&scenario=text')
  const metrics = page.getByRole('region', { name: /Metrics/ })
  // Loading the saved conversation reads a body through the counting fetch: it is not an answer's chunk.
  for (const metric of ['chunks', 'commits', 'ttfb', 'ttft', 'tokens-per-second']) {
    await expect(metrics.locator(`[data-metric="${metric}"]`)).toHaveText('–')
  }

  await sendMessage(page, 'Hello')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  await expect(metrics.locator('[data-metric="chunks"]')).toHaveText(/^\d+$/)
  expect(Number(await metrics.locator('[data-metric="chunks"]').textContent())).toBeGreaterThan(1)
})
