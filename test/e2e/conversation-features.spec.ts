/**
 * Branches and feedback in the built playground: an edited question keeps its earlier version
 * ("2 / 2"), switching back shows the earlier continuation, and a reload keeps the tree and
 * the rating (the conversation store saves every branch). A regenerated answer keeps streaming
 * while the user looks at the earlier one: the picker marks it, and it is whole when shown.
 */
import { expect, test } from '@playwright/test'
import { answerText, lastAnswer, openPlayground, sendMessage, textAnswer } from './playground.ts'

test('edit: the question gets a second version, switching back shows the first continuation, a reload keeps the tree', async ({
  page,
}) => {
  await openPlayground(page, 'provider=openai-chat&scenario=text&tps=400')
  await sendMessage(page, 'First question')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  const firstAnswerId = await lastAnswer(page).getAttribute('data-message-id')

  const question = page.locator('[data-role="user"]')
  await question.hover()
  await question.getByRole('button', { name: 'Edit' }).click()
  await page.getByRole('textbox', { name: 'Edit message' }).fill('Second question')
  await page.getByRole('button', { name: 'Resend' }).click()
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  expect(await answerText(lastAnswer(page))).toBe(textAnswer)
  const secondAnswerId = await lastAnswer(page).getAttribute('data-message-id')
  expect(secondAnswerId).not.toBe(firstAnswerId)

  const versions = page.getByRole('group', { name: 'Versions' })
  await expect(versions).toHaveText(/2 \/ 2/)
  await expect(question).toContainText('Second question')
  await versions.getByRole('button', { name: 'Previous version' }).click()
  await expect(versions).toHaveText(/1 \/ 2/)
  await expect(question).toContainText('First question')
  await expect(lastAnswer(page)).toHaveAttribute('data-message-id', firstAnswerId ?? '')
  // Focus stayed on the picker that replaced the one clicked.
  await expect(versions.getByRole('button', { name: 'Next version' })).toBeFocused()

  await expect(page).toHaveURL(/[?&]conversation=/)
  await page.reload()
  await expect(page.getByRole('group', { name: 'Versions' })).toHaveText(/1 \/ 2/)
  await expect(page.locator('[data-role="user"]')).toContainText('First question')
  await page.getByRole('button', { name: 'Next version' }).click()
  await expect(page.locator('[data-role="user"]')).toContainText('Second question')
  await expect(lastAnswer(page)).toHaveAttribute('data-message-id', secondAnswerId ?? '')
})

test('feedback: "Good response" pressed survives a reload', async ({ page }) => {
  await openPlayground(page, 'provider=anthropic&scenario=text&tps=400')
  await sendMessage(page, 'Rate this')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  const good = lastAnswer(page).getByRole('button', { name: 'Good response' })
  await lastAnswer(page).hover()
  await good.click()
  await expect(good).toHaveAttribute('aria-pressed', 'true')
  await expect(page).toHaveURL(/[?&]conversation=/)
  // The save at rest is one PUT: give it a moment to land before reloading.
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('sluice-playground:conversations') ?? ''))
    .toContain('"feedback":"positive"')
  await page.reload()
  await expect(lastAnswer(page).getByRole('button', { name: 'Good response' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await expect(lastAnswer(page).getByRole('button', { name: 'Bad response' })).toHaveAttribute(
    'aria-pressed',
    'false',
  )
})

test('regenerate, then back to the earlier answer while the new one streams: the picker marks it, and it is whole when shown', async ({
  page,
}) => {
  // Slow enough that the switch lands while the new answer streams (the text answer is ~30 tokens: about 5 s).
  await openPlayground(page, 'provider=openai-chat&scenario=text&tps=6')
  await sendMessage(page, 'A question')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete', { timeout: 15_000 })
  const firstAnswerId = await lastAnswer(page).getAttribute('data-message-id')

  await lastAnswer(page).hover()
  await lastAnswer(page).getByRole('button', { name: 'Regenerate' }).click()
  const versions = page.getByRole('group', { name: 'Versions' })
  await expect(versions).toHaveText(/2 \/ 2/)
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'streaming')
  const secondAnswerId = await lastAnswer(page).getAttribute('data-message-id')
  expect(secondAnswerId).not.toBe(firstAnswerId)

  await versions.getByRole('button', { name: 'Previous version' }).click()
  await expect(versions).toHaveText(/1 \/ 2/)
  await expect(lastAnswer(page)).toHaveAttribute('data-message-id', firstAnswerId ?? '')
  // Read in the page right after the switch: the new version is still being written, unseen.
  const hidden = await page.evaluate((id) => {
    const picker = document.querySelector('[data-sluice="branch-picker"]')
    return {
      pickerMarked: picker?.hasAttribute('data-streaming') ?? false,
      nextMarked:
        picker?.querySelector('[data-sluice="branch-next"]')?.hasAttribute('data-streaming') ?? false,
      shownStatus: document.querySelector('[data-role="assistant"]')?.getAttribute('data-status'),
      hiddenInDom: id !== null && document.querySelector(`[data-message-id="${CSS.escape(id)}"]`) !== null,
    }
  }, secondAnswerId)
  expect(hidden).toEqual({
    pickerMarked: true,
    nextMarked: true,
    shownStatus: 'complete',
    hiddenInDom: false,
  })
  // The composer still offers Stop: an answer is being written.
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible()

  // It ends unseen: the mark goes, and the Next version shows it whole.
  await expect(page.locator('[data-sluice="branch-picker"]')).not.toHaveAttribute('data-streaming', '', {
    timeout: 15_000,
  })
  await versions.getByRole('button', { name: 'Next version' }).click()
  await expect(versions).toHaveText(/2 \/ 2/)
  await expect(lastAnswer(page)).toHaveAttribute('data-message-id', secondAnswerId ?? '')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  expect(await answerText(lastAnswer(page))).toBe(textAnswer)
})

test('regenerate an earlier answer: it gets a second version, and the later turn comes back with the first', async ({
  page,
}) => {
  await openPlayground(page, 'provider=openai-chat&scenario=text&tps=400')
  await sendMessage(page, 'First question')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  await sendMessage(page, 'Second question')
  await expect(page.locator('[data-role="assistant"]')).toHaveCount(2)
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  const firstAnswer = page.locator('[data-role="assistant"]').first()
  const firstAnswerId = await firstAnswer.getAttribute('data-message-id')

  await firstAnswer.hover()
  await firstAnswer.getByRole('button', { name: 'Regenerate' }).click()
  // The thread is now the first question and its new answer; the second turn is with version 1.
  await expect(page.locator('[data-role="user"]')).toHaveCount(1)
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  expect(await lastAnswer(page).getAttribute('data-message-id')).not.toBe(firstAnswerId)
  const versions = page.getByRole('group', { name: 'Versions' })
  await expect(versions).toHaveText(/2 \/ 2/)
  await versions.getByRole('button', { name: 'Previous version' }).click()
  await expect(page.locator('[data-role="user"]')).toHaveCount(2)
  await expect(page.locator('[data-role="user"]').last()).toContainText('Second question')
  await expect(page.locator('[data-role="assistant"]').first()).toHaveAttribute(
    'data-message-id',
    firstAnswerId ?? '',
  )
})
