/**
 * Right to left in the built playground: `?dir=rtl` sets the page's direction, and the theme's
 * logical properties mirror the thread: the user's bubble sits at the left instead of the right.
 */
import { expect, type Page, test } from '@playwright/test'
import { lastAnswer, openPlayground, sendMessage } from './playground.ts'

/** Send a question, wait for the answer, and measure the question's bubble within the log. */
async function bubbleOffsets(page: Page): Promise<{ left: number; right: number }> {
  await sendMessage(page, 'Which way do you read?')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 })
  const bubble = page.locator('[data-role="user"] [data-sluice="message-content"]').last()
  const log = page.getByRole('log')
  const [box, frame] = await Promise.all([bubble.boundingBox(), log.boundingBox()])
  if (box === null || frame === null) throw new Error('The bubble or the log is not visible.')
  return { left: box.x - frame.x, right: frame.x + frame.width - (box.x + box.width) }
}

test('?dir=rtl: the page is right to left and the user bubble is mirrored', async ({ page }) => {
  await openPlayground(page, 'provider=openai-chat&scenario=text&dir=ltr')
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr')
  const ltr = await bubbleOffsets(page)
  // Left to right: the question ends at the right.
  expect(ltr.right).toBeLessThan(ltr.left)

  await openPlayground(page, 'provider=openai-chat&scenario=text&dir=rtl')
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCSS('direction', 'rtl')
  const rtl = await bubbleOffsets(page)
  // Right to left: the question ends at the left, as far from it as it was from the right.
  expect(rtl.left).toBeLessThan(rtl.right)
  expect(Math.abs(rtl.left - ltr.right)).toBeLessThanOrEqual(2)
})
