/**
 * Tools, reasoning, keyboard-only use and saved history, end to end in the built playground.
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

/** The `tools` scenario's second step, as written in `playground/src/mocks/scenarios.ts`. */
const weatherAnswer = 'It is 21 °C and sunny in Paris.'

for (const provider of [
  'openai-chat',
  'anthropic',
  'ollama',
  'openai-responses',
  'gemini',
  'stream-delta',
] as const) {
  test(`tools (${provider}): the app runs the tool, sends the result back, and the model answers with it`, async ({
    page,
  }, testInfo) => {
    await openPlayground(page, `provider=${provider}&scenario=tools`)
    await sendMessage(page, 'What is the weather in Paris?')
    const answers = page.locator('[data-role="assistant"]')
    // Step 1: a sentence and the call, whose input streams into a card; the playground's
    // onToolCall runs get_weather in the page.
    const card = answers.first().locator('[data-tool-name="get_weather"]')
    await expect(card).toContainText('Paris')
    await expect(card).toHaveAttribute('data-state', 'output-available')
    await expect(card).toContainText('sunny')
    await expect(answers.first()).toContainText('Let me check the weather in Paris.')
    // Step 2: the agent loop sent the result back; the mock read the conversation and answered.
    await expect(answers).toHaveCount(2)
    await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
    expect(await answerText(lastAnswer(page))).toBe(weatherAnswer)
    await expect(answers.first()).toHaveAttribute('data-status', 'complete')
    if (provider === 'anthropic') await saveScreenshot(page, testInfo, 'tools')
  })
}

test('tools: a second question starts the scenario over (the mock reads the conversation)', async ({
  page,
}) => {
  await openPlayground(page, 'provider=openai-chat&scenario=tools')
  const answers = page.locator('[data-role="assistant"]')
  await sendMessage(page, 'What is the weather in Paris?')
  await expect(answers).toHaveCount(2)
  await expect(answers.nth(1)).toHaveAttribute('data-status', 'complete')
  await sendMessage(page, 'And tomorrow?')
  await expect(answers).toHaveCount(4)
  await expect(answers.nth(2).locator('[data-tool-name="get_weather"]')).toHaveAttribute(
    'data-state',
    'output-available',
  )
  await expect(answers.nth(3)).toHaveAttribute('data-status', 'complete')
  expect(await answerText(answers.nth(3))).toBe(weatherAnswer)
})

test('tools: an agent protocol streams the result itself', async ({ page }) => {
  await openPlayground(page, 'provider=ai-sdk&scenario=tools')
  await sendMessage(page, 'What is the weather in Paris?')
  const card = lastAnswer(page).locator('[data-tool-name="get_weather"]')
  await expect(card).toHaveAttribute('data-state', 'output-available')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  await expect(card).toContainText('21')
})

test('reasoning streams before the answer and stays readable after it', async ({ page }, testInfo) => {
  await openPlayground(page, 'provider=anthropic&scenario=reasoning')
  await sendMessage(page, 'How many r letters are in strawberry?')
  const answer = lastAnswer(page)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  expect(await answerText(answer)).toBe('There are three r letters in "strawberry".')
  const reasoning = answer.locator('[data-sluice="reasoning"]')
  await expect(reasoning).toHaveCount(1)
  const trigger = reasoning.locator('[data-sluice="reasoning-trigger"]')
  if ((await trigger.getAttribute('aria-expanded')) !== 'true') await trigger.click()
  await expect(reasoning).toContainText('s-t-r-a-w-b-e-r-r-y')
  await saveScreenshot(page, testInfo, 'reasoning')
})

test('keyboard only: reach the textbox, Shift+Enter for a new line, Enter sends, Escape stops', async ({
  page,
}, testInfo) => {
  await openPlayground(page, 'provider=ollama&scenario=slow&latency=200&tps=5')
  const textbox = page.getByRole('textbox', { name: 'Message' })
  for (
    let presses = 0;
    presses < 40 && !(await textbox.evaluate((element) => element === document.activeElement));
    presses++
  ) {
    await page.keyboard.press('Tab')
  }
  await expect(textbox).toBeFocused()

  await page.keyboard.type('First line')
  await page.keyboard.press('Shift+Enter')
  await page.keyboard.type('second line')
  await expect(textbox).toHaveValue('First line\nsecond line')
  await page.keyboard.press('Enter')
  await expect(textbox).toHaveValue('')
  await expect(page.locator('[data-role="user"]').last()).toContainText('second line')

  const answer = lastAnswer(page)
  await expect(answer).toHaveAttribute('data-status', 'streaming')
  await page.keyboard.press('Escape')
  await expect(answer).toHaveAttribute('data-status', 'cancelled')
  await expect(textbox).toBeFocused()
  await saveScreenshot(page, testInfo, 'keyboard-stopped')

  // Switch to a quick scenario with the keyboard (focus the picker, choose with the arrow keys).
  await page.getByLabel('Scenario').focus()
  await page.keyboard.press('Home')
  await expect(page).toHaveURL(/[?&]scenario=text(&|$)/)
  await textbox.focus()
  await page.keyboard.type('Again')
  await page.keyboard.press('Enter')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  await expect(lastAnswer(page)).toContainText('mocked assistant')
})

test('a reload keeps the conversation history, and the sidebar reopens saved conversations', async ({
  page,
}, testInfo) => {
  await openPlayground(page, 'provider=openai-chat&scenario=text&tps=200')
  await sendMessage(page, 'Remember this conversation')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  await expect(page).toHaveURL(/[?&]conversation=/)
  const sidebar = page.getByRole('navigation', { name: 'Conversations' })
  await expect(sidebar.getByRole('link', { name: 'Remember this conversation' })).toHaveAttribute(
    'aria-current',
    'page',
  )

  await page.reload()
  await expect(page.locator('[data-role="user"]')).toHaveText(/Remember this conversation/)
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  expect(await answerText(lastAnswer(page))).toBe(textAnswer)
  await saveScreenshot(page, testInfo, 'reloaded')

  // A new conversation starts empty; the saved one comes back from the sidebar.
  await sidebar.getByRole('button', { name: 'New conversation' }).click()
  await expect(page.locator('[data-message-id]')).toHaveCount(0)
  await sendMessage(page, 'A second conversation')
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete')
  await sidebar.getByRole('link', { name: 'Remember this conversation' }).click()
  await expect(page.locator('[data-role="user"]')).toHaveText(/Remember this conversation/)
  await expect(page.locator('[data-role="user"]')).toHaveCount(1)
  await expect(sidebar.getByRole('link')).toHaveCount(2)
})
