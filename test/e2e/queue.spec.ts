/**
 * The queue in the built playground: messages sent while an answer streams wait in the list
 * "Queued messages" (the answer goes on), one can be removed, the other is sent when the answer
 * completes; "Send now" stops the answer and sends at once; the queue survives a reload.
 */
import { expect, test } from '@playwright/test'
import { lastAnswer, openPlayground, sendMessage } from './playground.ts'

test('queue: two messages wait while the answer streams, one is removed, the other goes when the answer ends', async ({
  page,
}) => {
  // A slow answer (4 tokens/s) leaves time to queue.
  await openPlayground(page, 'provider=openai-chat&scenario=text&tps=4')
  await sendMessage(page, 'First question')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming')
  await sendMessage(page, 'Queued one')
  await sendMessage(page, 'Queued two')
  const queue = page.getByRole('list', { name: 'Queued messages' })
  await expect(queue.getByRole('listitem')).toHaveText([/Queued one/, /Queued two/])
  // Queuing did not stop the answer.
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming')
  await queue
    .getByRole('listitem')
    .filter({ hasText: 'Queued one' })
    .getByRole('button', { name: 'Remove' })
    .click()
  await expect(queue.getByRole('listitem')).toHaveText([/Queued two/])

  // The answer completes; then "Queued two" is sent and answered, and the queue is empty.
  await expect(page.locator('[data-role="user"]').last()).toContainText('Queued two', { timeout: 30_000 })
  await expect(page.getByRole('list', { name: 'Queued messages' })).toHaveCount(0)
  await expect(page.locator('[data-role="assistant"]').first()).toHaveAttribute('data-status', 'complete')
  await expect(page.locator('[data-role="user"]')).toHaveText([/First question/, /Queued two/])
})

test('queue: "Send now" stops the answer and sends at once; a queued message survives a reload', async ({
  page,
}) => {
  await openPlayground(page, 'provider=openai-chat&scenario=text&tps=10')
  await sendMessage(page, 'First question')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming')
  await sendMessage(page, 'Kept for later')
  await sendMessage(page, 'Urgent')
  const queue = page.getByRole('list', { name: 'Queued messages' })
  await queue
    .getByRole('listitem')
    .filter({ hasText: 'Urgent' })
    .getByRole('button', { name: 'Send now' })
    .click()
  await expect(page.locator('[data-role="assistant"]').first()).toHaveAttribute('data-status', 'cancelled')
  await expect(page.locator('[data-role="user"]').last()).toContainText('Urgent')
  await expect(queue.getByRole('listitem')).toHaveText([/Kept for later/])
  await page.getByRole('button', { name: 'Stop' }).click()
  await expect(page).toHaveURL(/[?&]conversation=/)
  await page.reload()
  await expect(page.getByRole('list', { name: 'Queued messages' }).getByRole('listitem')).toHaveText([
    /Kept for later/,
  ])
})
